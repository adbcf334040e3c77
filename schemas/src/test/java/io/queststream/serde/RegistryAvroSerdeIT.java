package io.queststream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.serde.registry.HttpSchemaRegistryClient;
import io.queststream.serde.registry.RegistryClientConfig;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The registry serde against a real broker and a real registry (Apicurio through its Confluent API). */
@RealKafka
@RealSchemaRegistry
class RegistryAvroSerdeIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @Test
  void roundTripsEveryRecordTypeThroughARealTopicAndRegistry() throws Exception {
    for (SpecificRecord record : SampleRecords.all()) {
      String topic = KafkaBroker.uniqueName(record.getSchema().getName().toLowerCase());
      broker.createTopic(topic, 1);
      Serde<SpecificRecord> serde = serdeFor(record, serdeProps());

      produce(topic, serde, List.of(record));
      List<SpecificRecord> read = consume(topic, serde.deserializer(), 1);

      assertThat(read).as(topic).containsExactly(record);
      assertThat(registryClient().subjects()).contains(topic + "-value");
    }
  }

  @Test
  void carriesPreferencePairsAndRankingsOnOneTopic() throws Exception {
    String topic = KafkaBroker.uniqueName("turn-preferences");
    broker.createTopic(topic, 1);
    Map<String, Object> props = serdeProps();
    props.put(SerdeConfig.SUBJECT_NAME_STRATEGY, "topic_record");
    RegistryAvroSerde<SpecificRecord> serde = RegistryAvroSerde.anyOf(PreferencePair.class, Ranking.class);
    serde.configure(props, false);

    produce(topic, serde, List.of(SampleRecords.preferencePair(), SampleRecords.ranking()));

    assertThat(consume(topic, serde.deserializer(), 2))
        .containsExactly(SampleRecords.preferencePair(), SampleRecords.ranking());
    assertThat(registryClient().subjects()).contains(
        topic + "-io.queststream.schemas.PreferencePair", topic + "-io.queststream.schemas.Ranking");
  }

  @Test
  void checksCompatibilityWithTheRealRegistry() throws Exception {
    String subject = KafkaBroker.uniqueName("compat") + "-value";
    HttpSchemaRegistryClient client = registryClient();
    client.register(subject, ChatTurn.getClassSchema());
    requireBackwardCompatibility(subject);

    Schema withDefault = withField(ChatTurn.getClassSchema(),
        "{\"name\": \"mood\", \"type\": \"string\", \"default\": \"\"}");
    Schema withoutDefault = withField(ChatTurn.getClassSchema(), "{\"name\": \"mood\", \"type\": \"string\"}");

    assertThat(client.isCompatible(subject, withDefault)).isTrue();
    assertThat(client.isCompatible(subject, withoutDefault)).isFalse();
    assertThat(client.isCompatible(KafkaBroker.uniqueName("never-registered") + "-value", withoutDefault)).isTrue();
  }

  @Test
  void reportsAnIdTheRealRegistryDoesNotKnow() {
    RegistryAvroDeserializer<ChatTurn> deserializer = new RegistryAvroDeserializer<>(ChatTurn.class);
    deserializer.configure(serdeProps(), false);
    byte[] frame = ByteBuffer.allocate(6).put((byte) 0).putInt(987_654).put((byte) 0).array();

    assertThatThrownBy(() -> deserializer.deserialize("chat-turns", frame))
        .isInstanceOfSatisfying(SerdeException.class,
            e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.UNKNOWN_SCHEMA_ID))
        .hasMessageContaining("987654");
  }

  private Map<String, Object> serdeProps() {
    return new HashMap<>(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url()));
  }

  private HttpSchemaRegistryClient registryClient() {
    return HttpSchemaRegistryClient.create(new RegistryClientConfig(serdeProps()));
  }

  @SuppressWarnings("unchecked")
  private static Serde<SpecificRecord> serdeFor(SpecificRecord record, Map<String, Object> props) {
    RegistryAvroSerde<SpecificRecord> serde =
        new RegistryAvroSerde<>((Class<SpecificRecord>) record.getClass());
    serde.configure(props, false);
    return serde;
  }

  private static void produce(String topic, Serde<SpecificRecord> serde, List<SpecificRecord> records)
      throws Exception {
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), serde.serializer())) {
      for (SpecificRecord record : records) {
        producer.send(new ProducerRecord<>(topic, "key", record)).get();
      }
    }
  }

  private static List<SpecificRecord> consume(String topic, Deserializer<SpecificRecord> deserializer, int count) {
    List<SpecificRecord> read = new ArrayList<>();
    try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), deserializer)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
          read.add(record.value());
        }
      }
    }
    return read;
  }

  private void requireBackwardCompatibility(String subject) throws IOException, InterruptedException {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(registry.url() + "/config/" + subject))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"BACKWARD\"}"))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  private static Schema withField(Schema schema, String fieldJson) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = (ObjectNode) json.readTree(schema.toString());
    node.withArray("fields").add(json.readTree(fieldJson));
    return new Schema.Parser().parse(node.toString());
  }
}
