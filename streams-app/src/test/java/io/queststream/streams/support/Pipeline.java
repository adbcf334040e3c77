package io.queststream.streams.support;

import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.CommittedTopicReader;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.topics.TopicProvisioner;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.SchemaRegistryServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One isolated pipeline on the shared real broker and registry: its own topics, application id and state dir. The
 * live analytics are off unless the settings turn them on: the scoring tests are about scoring.
 */
public final class Pipeline {

  public final String id;
  public final AppConfig config;

  public Pipeline(KafkaBroker broker, SchemaRegistryServer registry, Map<String, String> settings) throws Exception {
    id = "p" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> values = new HashMap<>();
    for (String t : List.of("chat-turns", "character-cards", "turn-scores", "moderation-events", "turn-embeddings",
        "reward-weights", "turn-preferences", "leaderboards", "policy-ratings", "drift-alerts", "turn-selections",
        "moderation-policies", "turn-scores-shadow")) {
      values.put("topics." + t, id + "-" + t);
    }
    values.put("topics.dead-letters", id + "-dlq");
    values.put("topics.partitions", "2");
    values.put("application.id", id);
    values.put("bootstrap.servers", broker.bootstrapServers());
    values.put("schema.registry.url", registry.url());
    values.put("state.dir", Files.createTempDirectory("streams-it").toString());
    values.put("batch.max-size", "8");
    values.put("batch.max-wait-ms", "50");
    values.put("analytics.enabled", "false");
    values.put("weights.trusted-keys", TestSigning.TRUSTED_KEYS);
    values.putAll(settings);
    config = AppConfig.from(values);
    TopicProvisioner.createMissing(broker.admin(), config);
  }

  public AppConfig configWith(String key, String value) {
    return config.withKafka(key, value);
  }

  public <V extends SpecificRecord> KafkaProducer<String, V> producer(Class<V> type) {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.putAll(WeightsContract.producerLimits());
    return new KafkaProducer<>(props, new StringSerializer(), valueSerializer(type));
  }

  public KafkaProducer<String, byte[]> rawProducer() {
    return new KafkaProducer<>(new HashMap<>(config.clientProperties()), new StringSerializer(),
        (Serializer<byte[]>) (topic, data) -> data);
  }

  private <V extends SpecificRecord> Serializer<V> valueSerializer(Class<V> type) {
    RegistryAvroSerde<V> serde = new RegistryAvroSerde<>(type);
    serde.configure(config.clientProperties(), false);
    return serde.serializer();
  }

  /**
   * Reads the topic from the start until `expected` records arrived, then on until no record has come for `settle`,
   * so that a record beyond the expected ones is seen.
   */
  public <V extends SpecificRecord> List<ConsumerRecord<String, V>> read(String topic, Class<V> type, int expected,
      Duration timeout, Duration settle, boolean committedOnly) {
    return readWith(topic, values(type), expected, timeout, settle, committedOnly);
  }

  /** As {@link #read}, raw bytes, read_committed. */
  public List<ConsumerRecord<String, byte[]>> readRaw(String topic, int expected, Duration timeout,
      Duration settle) {
    return readWith(topic, new ByteArrayDeserializer(), expected, timeout, settle, true);
  }

  /**
   * Every committed record of the topic as it stands now: each partition read from its start to its last stable
   * offset, so what a committed transaction wrote is all there and nothing is missed for a slow group join.
   */
  public <V extends SpecificRecord> List<ConsumerRecord<String, V>> readToEnd(String topic, Class<V> type,
      Duration timeout) {
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    CommittedTopicReader.readToEnd(config.clientProperties(), topic, values(type), timeout, out::add);
    return out;
  }

  /**
   * Every record in the topic's log as it stands now, aborted and open transactions included (read_uncommitted, each
   * partition read to its high watermark).
   */
  public <V extends SpecificRecord> List<ConsumerRecord<String, V>> readWholeLog(String topic, Class<V> type,
      Duration timeout) {
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    CommittedTopicReader.readWholeLog(config.clientProperties(), topic, values(type), timeout, out::add);
    return out;
  }

  private <V extends SpecificRecord> Deserializer<V> values(Class<V> type) {
    RegistryAvroSerde<V> serde = new RegistryAvroSerde<>(type);
    serde.configure(config.clientProperties(), false);
    return serde.deserializer();
  }

  private <V> List<ConsumerRecord<String, V>> readWith(String topic, Deserializer<V> deserializer, int expected,
      Duration timeout, Duration settle, boolean committedOnly) {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, id + "-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
    List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      long settleUntil = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settleUntil) {
        var late = consumer.poll(Duration.ofMillis(200));
        if (!late.isEmpty()) {
          late.forEach(out::add);
          settleUntil = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return out;
  }
}
