package io.queststream.serde;

import io.queststream.serde.registry.SchemaRegistryClient;
import io.queststream.serde.registry.SchemaRegistryClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for generated Avro records in the Confluent Schema Registry wire format, configured the Kafka way
 * with {@link #configure(Map, boolean)} (see {@link SerdeConfig} for the keys).
 *
 * <pre>{@code
 * Serde<ChatTurn> turns = new RegistryAvroSerde<>(ChatTurn.class);
 * turns.configure(Map.of("schema.registry.url", "http://localhost:8081"), false);
 * }</pre>
 */
public class RegistryAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final RegistryAvroSerializer<T> serializer;
  private final RegistryAvroDeserializer<T> deserializer;

  public RegistryAvroSerde(Class<T> type) {
    this(ReaderTypes.of(type));
  }

  private RegistryAvroSerde(ReaderTypes<T> readerTypes) {
    this.serializer = new RegistryAvroSerializer<>();
    this.deserializer = new RegistryAvroDeserializer<>(readerTypes);
  }

  /**
   * A serde for a topic that carries several record types, each read into its own class by the writer schema's
   * full name. Use it with {@code subject.name.strategy=topic_record} (or {@code record}) so that each type has its
   * own subject and compatibility history.
   */
  @SafeVarargs
  public static RegistryAvroSerde<SpecificRecord> anyOf(Class<? extends SpecificRecord>... types) {
    List<Class<? extends SpecificRecord>> list = new ArrayList<>(types.length);
    for (Class<? extends SpecificRecord> type : types) {
      list.add(type);
    }
    return anyOf(list);
  }

  /** See {@link #anyOf(Class[])}. */
  public static RegistryAvroSerde<SpecificRecord> anyOf(List<Class<? extends SpecificRecord>> types) {
    return new RegistryAvroSerde<>(ReaderTypes.anyOf(types));
  }

  /** Configures both directions on one registry client, so that they share its caches. */
  @Override
  public void configure(Map<String, ?> props, boolean isKey) {
    SerdeConfig config = new SerdeConfig(props);
    SchemaRegistryClient registry = SchemaRegistryClients.create(config);
    serializer.configure(config, registry, isKey);
    deserializer.configure(registry);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
