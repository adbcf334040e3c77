package io.queststream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployed broker and registry images, as the apps use them: transactions on the broker, the registry's Confluent API. */
@EnabledWithDocker
class ContainerStackIT {

  private static final String TOPIC = "probe";
  private static final String SUBJECT = "probe-value";
  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"io.queststream.probe\","
          + "\"fields\":[{\"name\":\"turn_id\",\"type\":\"string\"}]}";

  private static ContainerStack stack;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    stack = new ContainerStack().start();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void givenTheBrokerImage_whenOneTransactionCommitsAndAnotherAborts_thenAReadCommittedConsumerSeesOnlyTheCommittedRecord()
      throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "probe-tx"), new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(TOPIC, "conversation-1", "committed"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(TOPIC, "conversation-1", "aborted"));
      producer.flush();
      producer.abortTransaction();
    }

    List<String> values = readCommitted(TOPIC);

    assertThat(values).containsExactly("conversation-1=committed");
  }

  @Test
  void givenTheRegistryImage_whenASchemaIsRegisteredThroughTheConfluentApi_thenItsIdServesItAndOnlyItsSubjectIsListed()
      throws Exception {
    HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
            URI.create(stack.registryUrl() + "/subjects/" + SUBJECT + "/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":" + jsonString(SCHEMA) + "}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    Matcher id = Pattern.compile("^\\{\"id\":(\\d+)}$").matcher(registered.body());
    assertThat(id.matches()).as(registered.body()).isTrue();

    HttpResponse<String> byId = get("/schemas/ids/" + id.group(1));
    HttpResponse<String> subjects = get("/subjects");

    assertThat(byId.statusCode()).isEqualTo(200);
    assertThat(byId.body()).contains("\\\"name\\\":\\\"Probe\\\"", "\\\"name\\\":\\\"turn_id\\\"");
    assertThat(subjects.statusCode()).isEqualTo(200);
    assertThat(subjects.body()).isEqualTo("[\"" + SUBJECT + "\"]");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every record up to the partition's last stable offset, as key=value. */
  private static List<String> readCommitted(String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      List<String> values = new ArrayList<>();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.key() + "=" + r.value());
        }
      }
      return values;
    }
  }

  private static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
