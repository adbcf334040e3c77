package io.queststream.serde;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every committed record of a topic from the start of each partition to its end as it stands when the read
 * begins (read_committed, no group, nothing committed), handing each record over in partition order; or, for audits
 * of what a crash left, every record in the log.
 */
public final class CommittedTopicReader {

  private CommittedTopicReader() {}

  /**
   * @param kafka the client configuration; read_committed and no auto-commit are set over it
   * @throws IllegalStateException when the end is not reached within {@code timeout}
   */
  public static <V> void readToEnd(Map<String, Object> kafka, String topic, Deserializer<V> values,
      Duration timeout, Consumer<ConsumerRecord<String, V>> each) {
    read(kafka, "read_committed", topic, values, timeout, each);
  }

  /**
   * Every record in the log, aborted and still-open transactions included (read_uncommitted), from the start of each
   * partition to its high watermark as it stands when the read begins: what a crash left behind, for audits.
   *
   * @throws IllegalStateException when the end is not reached within {@code timeout}
   */
  public static <V> void readWholeLog(Map<String, Object> kafka, String topic, Deserializer<V> values,
      Duration timeout, Consumer<ConsumerRecord<String, V>> each) {
    read(kafka, "read_uncommitted", topic, values, timeout, each);
  }

  private static <V> void read(Map<String, Object> kafka, String isolation, String topic, Deserializer<V> values,
      Duration timeout, Consumer<ConsumerRecord<String, V>> each) {
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(c, new StringDeserializer(), values)) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      // The end offsets follow the isolation level: the last stable offset, or the high watermark.
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
      if (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
      }
    }
  }
}
