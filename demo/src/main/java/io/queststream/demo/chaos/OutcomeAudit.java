package io.queststream.demo.chaos;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.weights.WeightsContract;
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
 * consumer sees them, and counts scores per turn id and dead letters per source position (or, for a dead letter
 * written without one, per the turn id it holds). Aborted transactions of killed instances are invisible here;
 * anything they committed twice would show as a count above one. It also notes when each score first became
 * visible, which times recoveries. Thread-safe: a follower thread may poll while another asks for first sightings.
 */
public final class OutcomeAudit implements AutoCloseable {

  /** Dead letters without a source position are keyed by this prefix and the turn id they hold. */
  static final String TURN_KEY = "turn:";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<TurnScore> scores;
  private final Deserializer<ChatTurn> turns;
  private final String scoresTopic;
  private final String deadLetterTopic;
  private final Map<String, Integer> scoreCounts = new HashMap<>();
  private final Map<String, Integer> deadLetterCounts = new HashMap<>();
  private final Map<String, Long> firstSeenMs = new HashMap<>();

  public OutcomeAudit(Map<String, Object> clientConfig, String scoresTopic, String deadLetterTopic) {
    Map<String, Object> c = new HashMap<>(clientConfig);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.putAll(WeightsContract.consumerLimits());
    this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    RegistryAvroSerde<TurnScore> scoreSerde = new RegistryAvroSerde<>(TurnScore.class);
    scoreSerde.configure(c, false);
    this.scores = scoreSerde.deserializer();
    RegistryAvroSerde<ChatTurn> turnSerde = new RegistryAvroSerde<>(ChatTurn.class);
    turnSerde.configure(c, false);
    this.turns = turnSerde.deserializer();
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
  public synchronized void catchUp(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && end.entrySet().stream()
        .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      poll();
    }
  }

  /** One poll; what it returns is counted. */
  public synchronized void poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      if (r.topic().equals(scoresTopic)) {
        String turnId = scores.deserialize(r.topic(), r.value()).getTurnId();
        scoreCounts.merge(turnId, 1, Integer::sum);
        firstSeenMs.putIfAbsent(turnId, System.currentTimeMillis());
      } else if (r.topic().equals(deadLetterTopic)) {
        deadLetterCounts.merge(deadLetterKey(r), 1, Integer::sum);
      }
    }
  }

  /** Polls until every expected score and dead letter is there, or the timeout passes. */
  public synchronized boolean awaitAll(Set<String> turnIds, Set<String> badPositions, Duration timeout)
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

  /**
   * Reads on until nothing new has arrived for {@code quiet}: a duplicate or a stray dead letter committed after
   * the expected outputs would be counted.
   */
  public synchronized void settle(Duration quiet, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long quietUntil = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < quietUntil && System.nanoTime() < deadline) {
      int before = total();
      catchUp(Duration.ofSeconds(5));
      poll();
      if (total() != before) {
        quietUntil = System.nanoTime() + quiet.toNanos();
      }
    }
  }

  private int total() {
    return scoreCounts.values().stream().mapToInt(Integer::intValue).sum()
        + deadLetterCounts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private String deadLetterKey(ConsumerRecord<byte[], byte[]> r) {
    String topic = header(r, DeadLetterHeaders.TOPIC);
    String partition = header(r, DeadLetterHeaders.PARTITION);
    String offset = header(r, DeadLetterHeaders.OFFSET);
    if (topic != null && partition != null && offset != null) {
      return TurnFeed.position(Integer.parseInt(partition), Long.parseLong(offset));
    }
    // Dead letters of a batch flushed by the punctuator carry no source position; the turn they hold names itself.
    try {
      return TURN_KEY + turns.deserialize("chat-turns", r.value()).getTurnId();
    } catch (RuntimeException e) {
      return "unidentified@" + r.partition() + "/" + r.offset();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  public synchronized Map<String, Integer> scoreCounts() {
    return Map.copyOf(scoreCounts);
  }

  public synchronized Map<String, Integer> deadLetterCounts() {
    return Map.copyOf(deadLetterCounts);
  }

  /** When the score of a turn was first read, or null. */
  public synchronized Long firstSeenMs(String turnId) {
    return firstSeenMs.get(turnId);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
