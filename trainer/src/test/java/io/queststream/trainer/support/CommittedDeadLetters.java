package io.queststream.trainer.support;

import io.queststream.trainer.feedback.KafkaDeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the committed dead letters of a one-partition topic, as a read_committed consumer sees them. */
public final class CommittedDeadLetters {

  private CommittedDeadLetters() {}

  /**
   * Every committed dead letter from the start, read until 3 s pass with nothing new (so that a second dead letter
   * of a record, written a little later, is seen too).
   */
  public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
        ConsumerRecords<byte[], byte[]> got = consumer.poll(Duration.ofMillis(200));
        got.forEach(out::add);
        if (!got.isEmpty()) {
          quietSince = System.nanoTime();
        }
      }
    }
    return out;
  }

  /** The cause header of each, in order. */
  public static List<String> causes(String bootstrapServers, String topic) {
    return read(bootstrapServers, topic).stream().map(r -> header(r, KafkaDeadLetters.CAUSE)).toList();
  }

  public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
