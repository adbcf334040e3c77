package io.queststream.serde.registry;

import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Describes why a reader schema cannot read a writer schema, naming fields by their path
 * ({@code ChatTurn.metadata}) where Avro gives only a JSON pointer ({@code /fields/9/type}).
 */
public final class SchemaIncompatibilities {

  private SchemaIncompatibilities() {}

  /** One clause per incompatibility, joined by "; ". */
  public static String describe(SchemaPairCompatibility compatibility) {
    return compatibility.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + fieldPath(compatibility.getReader(), i) + " (" + i.getMessage() + ")")
        .collect(Collectors.joining("; "));
  }

  private static String fieldPath(Schema reader, Incompatibility incompatibility) {
    StringBuilder path = new StringBuilder(reader.getName());
    Schema current = reader;
    String[] tokens = incompatibility.getLocation().split("/");
    for (int i = 1; i < tokens.length; i++) {
      String token = tokens[i];
      if (token.equals("fields") && i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
        Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++i]));
        path.append('.').append(field.name());
        current = field.schema();
      } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
        path.append("[]");
        current = current.getElementType();
      } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
        path.append("{}");
        current = current.getValueType();
      } else if (current.getType() == Schema.Type.UNION && token.chars().allMatch(Character::isDigit)) {
        current = current.getTypes().get(Integer.parseInt(token));
        path.append('<').append(current.getName()).append('>');
      } else if (!token.equals("type")) {
        path.append('/').append(token);
      }
    }
    return path.toString();
  }
}
