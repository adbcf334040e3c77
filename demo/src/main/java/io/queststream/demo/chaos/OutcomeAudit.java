package io.queststream.demo.chaos;

import io.queststream.schemas.TurnScore;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.errors.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads turn-scores and the dead-letter topic from the beginning with {@code read_committed}, as a downstream
 * consumer sees them, and counts scores per turn id and dead letters per source position. Aborted transactions of
 * killed instances are invisible here; anything they committed twice would show as a count above one.
 */
public final class OutcomeAudit implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<TurnScore> scores;
  private final String scoresTopic;
  private final String deadLetterTopic;
  private final Map<String, Integer> scoreCounts = new HashMap<>();
  private final Map<String, Integer> deadLetterCounts = new HashMap<>();

  public OutcomeAudit(Map<String, Object> clientConfig, String scoresTopic, String deadLetterTopic) {
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
    this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    RegistryAvroSerde<TurnScore> serde = new RegistryAvroSerde<>(TurnScore.class);
    serde.configure(c, false);
    this.scores = serde.deserializer();
    this.scoresTopic = scoresTopic;
    this.deadLetterTopic = deadLetterTopic;
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(scoresTopic, deadLetterTopic)) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads up to the last stable offsets as they are now (bounded by the timeout). */
  public void catchUp(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && end.entrySet().stream()
        .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.topic().equals(scoresTopic)) {
          scoreCounts.merge(scores.deserialize(r.topic(), r.value()).getTurnId(), 1, Integer::sum);
        } else if (r.topic().equals(deadLetterTopic)) {
          deadLetterCounts.merge(sourcePosition(r), 1, Integer::sum);
        }
      }
    }
  }

  /** Polls until every expected score and dead letter is there, or the timeout passes. */
  public boolean awaitAll(Set<String> turnIds, Set<String> badPositions, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      catchUp(Duration.ofSeconds(10));
      if (scoreCounts.keySet().containsAll(turnIds) && deadLetterCounts.keySet().containsAll(badPositions)) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  private static String sourcePosition(ConsumerRecord<byte[], byte[]> r) {
    String topic = header(r, DeadLetterHeaders.TOPIC);
    int partition = Integer.parseInt(orElse(header(r, DeadLetterHeaders.PARTITION), "-1"));
    long offset = Long.parseLong(orElse(header(r, DeadLetterHeaders.OFFSET), "-1"));
    return (topic == null ? "?" : "") + TurnFeed.position(partition, offset);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  public Map<String, Integer> scoreCounts() {
    return Map.copyOf(scoreCounts);
  }

  public Map<String, Integer> deadLetterCounts() {
    return Map.copyOf(deadLetterCounts);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
