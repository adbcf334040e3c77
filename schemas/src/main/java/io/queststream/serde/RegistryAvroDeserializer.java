package io.queststream.serde;

import static io.queststream.serde.SerdeException.Reason.CORRUPT_PAYLOAD;
import static io.queststream.serde.SerdeException.Reason.INCOMPATIBLE_SCHEMA;
import static io.queststream.serde.SerdeException.Reason.REGISTRY_NOT_AUTHORISED;
import static io.queststream.serde.SerdeException.Reason.REGISTRY_UNAVAILABLE;
import static io.queststream.serde.SerdeException.Reason.UNKNOWN_SCHEMA_ID;

import io.queststream.serde.registry.SchemaIncompatibilities;
import io.queststream.serde.registry.SchemaRegistryClient;
import io.queststream.serde.registry.SchemaRegistryClients;
import io.queststream.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a Confluent-framed Avro record into a generated class: the header names the writer schema in the registry,
 * Avro schema resolution maps it onto the reader class's schema. Every failure is a {@link SerdeException} with a
 * {@link SerdeException.Reason}; a null value (a tombstone) reads as null.
 */
public class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final ReaderTypes<T> readerTypes;
  /** Schema ids never change meaning, so the outcome of resolving one against the reader types is kept. */
  private final Map<Integer, Resolution<T>> resolutions = new ConcurrentHashMap<>();
  private SchemaRegistryClient registry;

  private record Resolution<T>(DatumReader<T> reader, SerdeException.Reason failure, String detail) {}

  public RegistryAvroDeserializer(Class<T> type) {
    this(ReaderTypes.of(type));
  }

  /** A deserializer on an existing client, for callers that share one client between several serdes. */
  public RegistryAvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
    this(ReaderTypes.of(type));
    this.registry = registry;
  }

  RegistryAvroDeserializer(ReaderTypes<T> readerTypes) {
    this.readerTypes = readerTypes;
  }

  @Override
  public void configure(Map<String, ?> props, boolean isKey) {
    if (registry == null) {
      registry = SchemaRegistryClients.create(new SerdeConfig(props));
    }
  }

  void configure(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public T deserialize(String topic, byte[] frame) {
    if (frame == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("RegistryAvroDeserializer used before configure(props, isKey)");
    }
    int id = WireFormat.schemaId(topic, frame);
    Resolution<T> resolution = resolve(topic, id);
    if (resolution.failure() != null) {
      throw SerdeException.of(resolution.failure(), topic, id, resolution.detail());
    }
    return decode(topic, id, frame, resolution.reader());
  }

  @Override
  public String toString() {
    return "RegistryAvroDeserializer[" + registry + ", reads " + readerTypes + "]";
  }

  private Resolution<T> resolve(String topic, int id) {
    Resolution<T> known = resolutions.get(id);
    if (known != null) {
      return known;
    }
    Schema writer = writerSchema(topic, id);
    Resolution<T> resolution = readerTypes.forWriter(writer)
        .map(type -> resolve(writer, type))
        .orElseGet(() -> new Resolution<>(null, INCOMPATIBLE_SCHEMA,
            "writer schema " + writer.getFullName() + " is none of the types this serde reads " + readerTypes));
    resolutions.put(id, resolution);
    return resolution;
  }

  private Resolution<T> resolve(Schema writer, Class<? extends T> type) {
    Schema reader = readerTypes.schemaOf(type);
    SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      return new Resolution<>(null, INCOMPATIBLE_SCHEMA, "writer schema " + writer.getFullName()
          + " cannot be read as " + type.getName() + ": " + SchemaIncompatibilities.describe(compatibility));
    }
    return new Resolution<>(new SpecificDatumReader<>(writer, reader, SpecificData.getForClass(type)), null, null);
  }

  private Schema writerSchema(String topic, int id) {
    try {
      return registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      SerdeException.Reason reason = switch (e.kind()) {
        case NOT_FOUND -> UNKNOWN_SCHEMA_ID;
        case UNUSABLE_SCHEMA -> INCOMPATIBLE_SCHEMA;
        case NOT_AUTHORISED -> REGISTRY_NOT_AUTHORISED;
        case REJECTED, UNAVAILABLE -> REGISTRY_UNAVAILABLE;
      };
      throw SerdeException.of(reason, topic, id, e.getMessage(), e);
    }
  }

  private static <T> T decode(String topic, int id, byte[] frame, DatumReader<T> reader) {
    int length = frame.length - WireFormat.HEADER_LENGTH;
    BoundedDecoder decoder = BoundedDecoder.over(frame, WireFormat.HEADER_LENGTH, length);
    int leftOver;
    try {
      T record = reader.read(null, decoder);
      leftOver = decoder.remaining();
      if (leftOver == 0) {
        return record;
      }
    } catch (IOException | RuntimeException e) {
      throw SerdeException.of(CORRUPT_PAYLOAD, topic, id,
          "the " + length + " Avro bytes do not decode under the writer schema: " + e, e);
    }
    throw SerdeException.of(CORRUPT_PAYLOAD, topic, id,
        leftOver + " of the " + length + " Avro bytes are left over after the record");
  }
}
