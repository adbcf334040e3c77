package io.queststream.serde;

import static io.queststream.serde.SerdeException.Reason.INVALID_RECORD;
import static io.queststream.serde.SerdeException.Reason.REGISTRATION_FAILED;
import static io.queststream.serde.SerdeException.Reason.REGISTRY_NOT_AUTHORISED;
import static io.queststream.serde.SerdeException.Reason.REGISTRY_UNAVAILABLE;

import io.queststream.serde.registry.SchemaRegistryClient;
import io.queststream.serde.registry.SchemaRegistryClients;
import io.queststream.serde.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record as magic byte 0, the id of its schema in the registry, and the Avro binary
 * encoding. The schema is registered (or, with {@code auto.register.schemas=false}, looked up) under the subject
 * the configured {@link SubjectNameStrategy} names, once per subject: the client caches ids.
 */
public class RegistryAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
  private SchemaRegistryClient registry;
  private SubjectNameStrategy subjects;
  private boolean autoRegister;
  private boolean isKey;

  public RegistryAvroSerializer() {}

  /** A serializer on an existing client, for callers that share one client between several serdes. */
  public RegistryAvroSerializer(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> props, boolean isKey) {
    SerdeConfig config = new SerdeConfig(props);
    configure(config, registry != null ? registry : SchemaRegistryClients.create(config), isKey);
  }

  void configure(SerdeConfig config, SchemaRegistryClient registry, boolean isKey) {
    this.registry = registry;
    this.subjects = config.subjectNameStrategy();
    this.autoRegister = config.autoRegisterSchemas();
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (subjects == null) {
      throw new IllegalStateException("RegistryAvroSerializer used before configure(props, isKey)");
    }
    Schema schema = record.getSchema();
    int id = schemaId(topic, schema);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    WireFormat.writeHeader(out, id);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writers.computeIfAbsent(schema, RegistryAvroSerializer::writerFor).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw SerdeException.of(INVALID_RECORD, topic, id,
          schema.getFullName() + " does not satisfy its schema: " + e, e);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "RegistryAvroSerializer[" + registry + ", subject.name.strategy=" + subjects + "]";
  }

  private int schemaId(String topic, Schema schema) {
    String subject = subjects.subject(topic, isKey, schema);
    try {
      return autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
    } catch (SchemaRegistryException e) {
      SerdeException.Reason reason = switch (e.kind()) {
        case UNAVAILABLE -> REGISTRY_UNAVAILABLE;
        case NOT_AUTHORISED -> REGISTRY_NOT_AUTHORISED;
        case NOT_FOUND, REJECTED, UNUSABLE_SCHEMA -> REGISTRATION_FAILED;
      };
      String action = autoRegister ? "cannot register " : "cannot find (auto.register.schemas=false) ";
      throw SerdeException.of(reason, topic, null,
          action + schema.getFullName() + " under subject '" + subject + "': " + e.getMessage(), e);
    }
  }

  private static <T> DatumWriter<T> writerFor(Schema schema) {
    // The class's own model carries its logical-type conversions (timestamp-millis as Instant).
    return new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
  }
}
