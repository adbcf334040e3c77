package io.queststream.demo.hostile;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.TurnScore;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.errors.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Everything a read_committed consumer sees on a pipeline's output topics, kept by what it is about: scores and
 * moderation events by turn id, dead letters by the position of the record they reject (or by turn id when they
 * name no position).
 */
final class PipelineOutputs implements AutoCloseable {

  /** One dead letter, in the words of its headers. */
  record DeadLetter(String kind, String reason, String message) {
    String text() {
      return reason + ": " + message;
    }
  }

  private static final String TURN = "turn:";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String scoresTopic;
  private final String deadLettersTopic;
  private final String moderationTopic;
  private final Deserializer<TurnScore> scoreReader;
  private final Deserializer<ModerationEvent> moderationReader;
  private final Deserializer<ChatTurn> turnReader;
  private final Map<String, List<TurnScore>> scores = new HashMap<>();
  private final Map<String, List<ModerationEvent>> moderation = new HashMap<>();
  private final Map<String, List<DeadLetter>> deadLetters = new HashMap<>();

  PipelineOutputs(String bootstrap, String registryUrl, String scoresTopic, String moderationTopic,
      String deadLettersTopic) {
    this.scoresTopic = scoresTopic;
    this.moderationTopic = moderationTopic;
    this.deadLettersTopic = deadLettersTopic;
    consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : List.of(scoresTopic, moderationTopic, deadLettersTopic)) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    scoreReader = deserializer(TurnScore.class, registryUrl);
    moderationReader = deserializer(ModerationEvent.class, registryUrl);
    turnReader = deserializer(ChatTurn.class, registryUrl);
  }

  private static <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type, String registryUrl) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type);
    serde.configure(Map.of("schema.registry.url", registryUrl), false);
    return serde.deserializer();
  }

  /** Reads what has arrived since the last call. */
  synchronized void read() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      if (r.topic().equals(scoresTopic)) {
        TurnScore s = scoreReader.deserialize(r.topic(), r.value());
        scores.computeIfAbsent(s.getTurnId(), k -> new ArrayList<>()).add(s);
      } else if (r.topic().equals(moderationTopic)) {
        ModerationEvent e = moderationReader.deserialize(r.topic(), r.value());
        moderation.computeIfAbsent(e.getTurnId(), k -> new ArrayList<>()).add(e);
      } else if (r.topic().equals(deadLettersTopic)) {
        DeadLetter d = new DeadLetter(header(r, DeadLetterHeaders.KIND), header(r, DeadLetterHeaders.REASON),
            header(r, DeadLetterHeaders.MESSAGE));
        String about = header(r, DeadLetterHeaders.TOPIC) != null
            ? position(header(r, DeadLetterHeaders.TOPIC), Integer.parseInt(header(r, DeadLetterHeaders.PARTITION)),
                Long.parseLong(header(r, DeadLetterHeaders.OFFSET)))
            : r.value() == null ? "unattributed" : TURN + turnReader.deserialize(r.topic(), r.value()).getTurnId();
        deadLetters.computeIfAbsent(about, k -> new ArrayList<>()).add(d);
      }
    }
  }

  /** Reads until the condition holds; false when the timeout passes first. */
  boolean readUntil(BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      read();
    }
    return true;
  }

  /** Reads for the whole window, so that a second output for anything already seen would be seen too. */
  void settle(Duration window) {
    long until = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < until) {
      read();
    }
  }

  static String position(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  synchronized List<TurnScore> scores(String turnId) {
    return List.copyOf(scores.getOrDefault(turnId, List.of()));
  }

  synchronized List<ModerationEvent> moderation(String turnId) {
    return List.copyOf(moderation.getOrDefault(turnId, List.of()));
  }

  synchronized List<DeadLetter> deadLettersAt(String position) {
    return List.copyOf(deadLetters.getOrDefault(position, List.of()));
  }

  synchronized List<DeadLetter> deadLettersOfTurn(String turnId) {
    return List.copyOf(deadLetters.getOrDefault(TURN + turnId, List.of()));
  }

  /** Every dead letter read so far, by what it is about. */
  synchronized Map<String, List<DeadLetter>> deadLetters() {
    return Map.copyOf(deadLetters);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
