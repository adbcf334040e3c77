package io.queststream.serde.registry;

import static io.queststream.serde.registry.SchemaRegistryException.Kind.NOT_FOUND;
import static io.queststream.serde.registry.SchemaRegistryException.Kind.REJECTED;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A registry in memory for unit tests and demos, behaving like Confluent's: global ids shared by identical
 * schemas across subjects, and BACKWARD compatibility (the new schema reads data written with the latest version)
 * enforced on registration. Instances are shared per scope ({@code mock://<scope>}) within the JVM so that a
 * serializer and a deserializer configured separately see the same schemas.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

  private final String scope;
  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();

  private InMemorySchemaRegistryClient(String scope) {
    this.scope = scope;
  }

  public static InMemorySchemaRegistryClient forScope(String scope) {
    return SCOPES.computeIfAbsent(scope, InMemorySchemaRegistryClient::new);
  }

  /** Forgets a scope, so that the next {@link #forScope} starts empty. */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(schema)) {
      if (!versions.isEmpty() && !readsLatest(schema, versions)) {
        throw new SchemaRegistryException(REJECTED, "schema " + schema.getFullName()
            + " is not BACKWARD compatible with the latest version of subject '" + subject + "' in mock://" + scope
            + ": " + incompatibilities(schema, latest(versions)));
      }
      versions.add(schema);
    }
    return idsBySchema.computeIfAbsent(schema, added -> {
      int id = schemasById.size() + 1;
      schemasById.put(id, added);
      return id;
    });
  }

  @Override
  public synchronized int idOf(String subject, Schema schema) {
    List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
    if (!versions.contains(schema)) {
      throw new SchemaRegistryException(NOT_FOUND,
          "schema " + schema.getFullName() + " is not registered under subject '" + subject + "' in mock://" + scope);
    }
    return idsBySchema.get(schema);
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(NOT_FOUND, "schema id " + id + " not found in mock://" + scope);
    }
    return schema;
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
    return versions.isEmpty() || readsLatest(schema, versions);
  }

  @Override
  public synchronized List<String> subjects() {
    return versionsBySubject.keySet().stream().sorted().collect(Collectors.toList());
  }

  @Override
  public String toString() {
    return "InMemorySchemaRegistryClient[mock://" + scope + "]";
  }

  private static boolean readsLatest(Schema reader, List<Schema> versions) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, latest(versions)).getType()
        == SchemaCompatibilityType.COMPATIBLE;
  }

  private static String incompatibilities(Schema reader, Schema writer) {
    return SchemaIncompatibilities.describe(SchemaCompatibility.checkReaderWriterCompatibility(reader, writer));
  }

  private static Schema latest(List<Schema> versions) {
    return versions.get(versions.size() - 1);
  }
}
