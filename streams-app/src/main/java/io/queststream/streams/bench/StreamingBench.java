package io.queststream.streams.bench;

import io.queststream.model.api.RewardScorer;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.TurnScore;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.topics.TopicProvisioner;
import io.queststream.streams.topology.TurnValidator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Pushes turns through a real broker into the running topology (exactly-once on) and times each assistant turn from
 * the moment it is produced to the moment its score is visible to a read_committed consumer.
 */
public final class StreamingBench {

  /**
   * @param seconds from the first turn produced to the last score visible
   * @param latenciesMs produce-to-visible-score latency of every assistant turn
   */
  public record Result(int scores, double seconds, long[] latenciesMs, double meanBatchSize) {
    public double turnsPerSecond() {
      return scores / seconds;
    }
  }

  private StreamingBench() {}

  /**
   * @param turnsPerSecond pace of the producer over all turns (user and assistant); 0 sends as fast as it can
   */
  public static Result run(AppConfig config, RewardScorer scorer, List<CharacterCard> cards, List<ChatTurn> turns,
      double turnsPerSecond, Duration timeout) throws Exception {
    try (Admin admin = Admin.create(config.clientProperties())) {
      TopicProvisioner.createMissing(admin, config);
    }
    try (KafkaProducer<String, CharacterCard> producer = producer(config, CharacterCard.class)) {
      for (CharacterCard c : cards) {
        producer.send(new ProducerRecord<>(config.topics().characterCards(), c.getCharacterId(), c));
      }
    }
    int expected = (int) turns.stream().filter(t -> TurnValidator.ASSISTANT.equals(t.getRole())).count();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Long> visibleAt = new ConcurrentHashMap<>();
    ScoringMetrics metrics = ScoringMetrics.standalone();
    try (ScoringApp app = new ScoringApp(config, scorer, metrics)) {
      app.start();
      awaitRunning(app, timeout);
      CountDownLatch listening = new CountDownLatch(1);
      CompletableFuture<Void> reader = CompletableFuture.runAsync(
          () -> readScores(config, expected, timeout, visibleAt, listening));
      if (!listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the score reader got no partitions within " + timeout);
      }
      long first = System.currentTimeMillis();
      produce(config, turns, turnsPerSecond, sentAt);
      reader.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long last = visibleAt.values().stream().mapToLong(Long::longValue).max().orElse(first);
      long[] latencies = visibleAt.entrySet().stream()
          .filter(e -> sentAt.containsKey(e.getKey()))
          .mapToLong(e -> e.getValue() - sentAt.get(e.getKey())).toArray();
      double meanBatch = metrics.registry().get("quest.batch.size").summary().mean();
      return new Result(visibleAt.size(), (last - first) / 1000.0, latencies, meanBatch);
    }
  }

  private static void awaitRunning(ScoringApp app, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (app.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || app.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("Kafka Streams did not reach RUNNING: " + app.state());
      }
      Thread.sleep(50);
    }
  }

  private static void produce(AppConfig config, List<ChatTurn> turns, double turnsPerSecond,
      Map<String, Long> sentAt) throws InterruptedException {
    try (KafkaProducer<String, ChatTurn> producer = producer(config, ChatTurn.class)) {
      long start = System.nanoTime();
      for (int i = 0; i < turns.size(); i++) {
        if (turnsPerSecond > 0) {
          long due = start + (long) (i * 1e9 / turnsPerSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        ChatTurn t = turns.get(i);
        long now = System.currentTimeMillis();
        if (TurnValidator.ASSISTANT.equals(t.getRole())) {
          sentAt.put(t.getTurnId(), now);
        }
        producer.send(new ProducerRecord<>(config.topics().chatTurns(), null, now, t.getConversationId(), t));
      }
    }
  }

  private static void readScores(AppConfig config, int expected, Duration timeout, Map<String, Long> visibleAt,
      CountDownLatch listening) {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    RegistryAvroSerde<TurnScore> serde = new RegistryAvroSerde<>(TurnScore.class);
    serde.configure(config.clientProperties(), false);
    try (KafkaConsumer<String, TurnScore> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer())) {
      consumer.subscribe(List.of(config.topics().turnScores()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (visibleAt.size() < expected && System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(5));
        if (!consumer.assignment().isEmpty()) {
          listening.countDown();
        }
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, TurnScore> r : records) {
          visibleAt.putIfAbsent(r.value().getTurnId(), now);
        }
      }
    }
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(
      AppConfig config, Class<V> type) {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    RegistryAvroSerde<V> serde = new RegistryAvroSerde<>(type);
    serde.configure(config.clientProperties(), false);
    return new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
  }
}
