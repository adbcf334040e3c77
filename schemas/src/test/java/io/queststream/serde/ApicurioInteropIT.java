package io.queststream.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.queststream.serde.registry.RegistryClientConfig;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our serde and Apicurio's (another implementation of the Confluent wire format, talking to the same registry
 * through Apicurio's native API) read each other's records from a real topic and write identical bytes.
 */
@RealKafka
@RealSchemaRegistry
class ApicurioInteropIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  static Stream<SpecificRecord> everyRecordType() {
    return SampleRecords.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRecordType")
  void writesTheSameBytesAsApicuriosSerializerForTheSameSchemaId(SpecificRecord record) {
    String topic = topicFor(record);
    byte[] ours = ourSerializer().serialize(topic, record);
    // The version we registered, by coordinates: the 2.6 registry's native API has no "latest" version alias.
    byte[] theirs = apicurioSerializer(Map.of(
        "apicurio.registry.auto-register", false,
        "apicurio.registry.artifact.version", "1")).serialize(topic, record);

    assertThat(schemaId(theirs)).isEqualTo(schemaId(ours));
    assertThat(theirs).isEqualTo(ours);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRecordType")
  void readsWhatApicuriosSerializerWroteToARealTopic(SpecificRecord record) throws Exception {
    String topic = topicFor(record);

    produce(topic, apicurioSerializer(Map.of("apicurio.registry.auto-register", true)), record);

    assertThat(consumeOne(topic, ourDeserializer(record))).isEqualTo(record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRecordType")
  void apicuriosDeserializerReadsWhatWeWroteToARealTopic(SpecificRecord record) throws Exception {
    String topic = topicFor(record);

    produce(topic, ourSerializer(), record);

    assertThat(consumeOne(topic, apicurioDeserializer())).isEqualTo(record);
  }

  private static String topicFor(SpecificRecord record) {
    String topic = KafkaBroker.uniqueName("interop-" + record.getSchema().getName().toLowerCase());
    broker.createTopic(topic, 1);
    return topic;
  }

  private static Serializer<SpecificRecord> ourSerializer() {
    RegistryAvroSerializer<SpecificRecord> serializer = new RegistryAvroSerializer<>();
    serializer.configure(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
    return serializer;
  }

  @SuppressWarnings("unchecked")
  private static Deserializer<SpecificRecord> ourDeserializer(SpecificRecord record) {
    RegistryAvroDeserializer<SpecificRecord> deserializer =
        new RegistryAvroDeserializer<>((Class<SpecificRecord>) record.getClass());
    deserializer.configure(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()), false);
    return deserializer;
  }

  private static Serializer<SpecificRecord> apicurioSerializer(Map<String, Object> extra) {
    AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
    serializer.configure(apicurioProps(extra), false);
    return serializer;
  }

  private static Deserializer<SpecificRecord> apicurioDeserializer() {
    AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();
    deserializer.configure(apicurioProps(Map.of("apicurio.registry.use-specific-avro-reader", true)), false);
    return deserializer;
  }

  /** Apicurio's client speaks the registry's native API, next to the Confluent one: /apis/registry/v2. */
  private static Map<String, Object> apicurioProps(Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put("apicurio.registry.url", registry.url().replace("/apis/ccompat/v7", "/apis/registry/v2"));
    props.put("apicurio.registry.headers.enabled", false);
    return props;
  }

  private static int schemaId(byte[] frame) {
    return ByteBuffer.wrap(frame, 1, 4).getInt();
  }

  private static void produce(String topic, Serializer<SpecificRecord> serializer, SpecificRecord record)
      throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(), serializer)) {
      producer.send(new ProducerRecord<>(topic, "key", record)).get();
    }
  }

  private static SpecificRecord consumeOne(String topic, Deserializer<SpecificRecord> deserializer) {
    List<SpecificRecord> read = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), deserializer)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
          read.add(record.value());
        }
      }
    }
    assertThat(read).as("records read from " + topic).hasSize(1);
    return read.get(0);
  }
}
