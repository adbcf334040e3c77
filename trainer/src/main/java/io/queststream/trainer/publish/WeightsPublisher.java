package io.queststream.trainer.publish;

import io.queststream.schemas.RewardHeads;
import io.queststream.serde.RegistryAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes weights versions to the compacted reward-weights topic, keyed by model name, one transaction per version so
 * read_committed consumers never see a half-published version; reads the topic back for the latest version.
 */
public final class WeightsPublisher implements AutoCloseable {

  /** Room for a 4096-d backbone's heads (~25 MB of floats) and then some. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final String topic;
  private final Map<String, Object> kafka;
  private final Map<String, Object> serde;
  private KafkaProducer<String, RewardHeads> producer;

  public WeightsPublisher(String topic, Map<String, Object> kafka, Map<String, Object> serde) {
    this.topic = topic;
    this.kafka = Map.copyOf(kafka);
    this.serde = Map.copyOf(serde);
  }

  /** Creates the topic compacted with large-message limits if it does not exist. */
  public void ensureTopic() {
    try (Admin admin = Admin.create(kafka)) {
      NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
          "cleanup.policy", "compact", "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
      admin.createTopics(List.of(t)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + topic, e);
    }
  }

  public synchronized void publish(RewardHeads heads) {
    if (producer == null) {
      producer = newProducer();
    }
    producer.beginTransaction();
    try {
      producer.send(new ProducerRecord<>(topic, heads.getModelName(), heads)).get();
      producer.commitTransaction();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.abortTransaction();
      throw new IllegalStateException("interrupted publishing v" + heads.getVersion(), e);
    } catch (ExecutionException | RuntimeException e) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
      throw new IllegalStateException("publishing " + heads.getModelName() + " v" + heads.getVersion() + " failed: "
          + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
    }
  }

  private KafkaProducer<String, RewardHeads> newProducer() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "quest-trainer-" + topic + "-" + UUID.randomUUID());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_MESSAGE_BYTES);
    RegistryAvroSerde<RewardHeads> values = new RegistryAvroSerde<>(RewardHeads.class);
    values.configure(serde, false);
    KafkaProducer<String, RewardHeads> prod = new KafkaProducer<>(p, new StringSerializer(), values.serializer());
    prod.initTransactions();
    return prod;
  }

  /** Every committed version of this model on the topic, oldest first (compaction may have removed older ones). */
  public List<RewardHeads> readAll(String modelName, Duration timeout) {
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    RegistryAvroSerde<RewardHeads> values = new RegistryAvroSerde<>(RewardHeads.class);
    values.configure(serde, false);
    List<RewardHeads> out = new java.util.ArrayList<>();
    try (KafkaConsumer<String, RewardHeads> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        values.deserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, RewardHeads> r : consumer.poll(Duration.ofMillis(200))) {
          if (modelName.equals(r.key())) {
            out.add(r.value());
          }
        }
      }
    }
    return out;
  }

  public Optional<RewardHeads> latest(String modelName, Duration timeout) {
    return readAll(modelName, timeout).stream().reduce((a, b) -> a.getVersion() >= b.getVersion() ? a : b);
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
