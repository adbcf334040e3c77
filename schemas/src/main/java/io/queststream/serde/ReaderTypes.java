package io.queststream.serde;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The generated classes a deserializer reads into, found by the writer schema's full name (or a reader alias).
 * One class for a topic with one record type; several for a topic that carries a union of record types.
 */
final class ReaderTypes<T extends SpecificRecord> {

  private final Map<String, Class<? extends T>> byName = new LinkedHashMap<>();
  private final Map<Class<? extends T>, Schema> schemas = new LinkedHashMap<>();

  private ReaderTypes(List<Class<? extends T>> types) {
    if (types.isEmpty()) {
      throw new IllegalArgumentException("a serde needs at least one record type");
    }
    for (Class<? extends T> type : types) {
      Schema schema = SpecificData.get().getSchema(type);
      schemas.put(type, schema);
      putUnique(schema.getFullName(), type);
      schema.getAliases().forEach(alias -> putUnique(alias, type));
    }
  }

  static <T extends SpecificRecord> ReaderTypes<T> of(Class<T> type) {
    return new ReaderTypes<>(List.of(type));
  }

  static ReaderTypes<SpecificRecord> anyOf(List<Class<? extends SpecificRecord>> types) {
    return new ReaderTypes<>(types);
  }

  /**
   * The class to read a record written with this schema into. With a single class that is always the class (the
   * compatibility check then explains a mismatch); with several it is the one whose name matches.
   */
  Optional<Class<? extends T>> forWriter(Schema writer) {
    Class<? extends T> byWriterName = byName.get(writer.getFullName());
    if (byWriterName != null || schemas.size() > 1) {
      return Optional.ofNullable(byWriterName);
    }
    return Optional.of(schemas.keySet().iterator().next());
  }

  Schema schemaOf(Class<? extends T> type) {
    return schemas.get(type);
  }

  @Override
  public String toString() {
    return schemas.values().stream().map(Schema::getFullName).toList().toString();
  }

  private void putUnique(String name, Class<? extends T> type) {
    Class<? extends T> previous = byName.putIfAbsent(name, type);
    if (previous != null && previous != type) {
      throw new IllegalArgumentException(previous.getName() + " and " + type.getName() + " share the name " + name);
    }
  }
}
