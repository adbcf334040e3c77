package io.queststream.bench.streaming;

import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
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
 * The scoring app on a real broker with exactly-once on, kept running across passes. Each pass produces turns (each
 * conversation to its assigned partition) and times every assistant turn from produce to the moment its score is
 * visible to a read_committed consumer. That consumer reads for the whole run and counts scores per turn, so a
 * duplicate or a missing score in any pass shows in the tally.
 */
final class StreamingRun implements AutoCloseable {

  /**
   * @param seconds from the first turn produced to the last score visible
   * @param meanDeviceBatch turns per device batch of the shared batcher during the pass
   * @param meanBatchModelMs model time of one device batch during the pass
   * @param padding share of the device batches' tokens that were padding
   */
  record Pass(int scores, double seconds, List<TurnLatency> turnLatencies, double meanDeviceBatch,
      double meanBatchModelMs, double padding) {
    double turnsPerSecond() {
      return scores / seconds;
    }

    /** Produce to read_committed visibility, per turn. */
    long[] latenciesMs() {
      return turnLatencies.stream().mapToLong(TurnLatency::totalMs).toArray();
    }
  }

  private final AppConfig config;
  private final MeterRegistry modelMeters;
  private final ScoringApp app;
  private final KafkaProducer<String, ChatTurn> producer;
  private final Map<String, Long> visibleAt = new ConcurrentHashMap<>();
  private final Map<String, TurnScore> firstScore = new ConcurrentHashMap<>();
  private final Map<String, Integer> scoreCounts = new ConcurrentHashMap<>();
  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final Thread reader;
  private volatile boolean reading = true;

  StreamingRun(AppConfig config, RewardScorer scorer, MeterRegistry modelMeters, List<CharacterCard> cards,
      Duration timeout) throws Exception {
    this.config = config;
    this.modelMeters = modelMeters;
    try (Admin admin = Admin.create(config.clientProperties())) {
      TopicProvisioner.createMissing(admin, config);
    }
    try (KafkaProducer<String, CharacterCard> cardProducer = producer(config, CharacterCard.class)) {
      for (CharacterCard c : cards) {
        cardProducer.send(new ProducerRecord<>(config.topics().characterCards(), c.getCharacterId(), c));
      }
    }
    app = new ScoringApp(config, scorer, ScoringMetrics.standalone());
    app.start();
    awaitRunning(timeout);
    producer = producer(config, ChatTurn.class);
    CountDownLatch listening = new CountDownLatch(1);
    reader = new Thread(() -> readScores(listening), "bench-score-reader");
    reader.setDaemon(true);
    reader.start();
    if (!listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the score reader got no partitions within " + timeout);
    }
  }

  /**
   * Produces the turns and waits for every assistant turn's score.
   *
   * @param turnsPerSecond pace over all turns (user and assistant); 0 sends everything at once
   */
  Pass pass(List<ChatTurn> turns, Map<String, Integer> partitionOf, double turnsPerSecond, Duration timeout)
      throws InterruptedException {
    Set<String> expected = turns.stream().filter(t -> TurnValidator.ASSISTANT.equals(t.getRole()))
        .map(ChatTurn::getTurnId).collect(Collectors.toSet());
    Map<String, Long> sentAt = new HashMap<>();
    double batchesBefore = deviceBatches();
    double turnsBefore = deviceBatchTurns();
    double modelMsBefore = modelMillis();
    double tokensBefore = summaryTotal("queststream.batcher.batch.tokens");
    double paddedBefore = summaryTotal("queststream.batcher.batch.padded.tokens");
    long first = System.currentTimeMillis();
    long start = System.nanoTime();
    for (int i = 0; i < turns.size(); i++) {
      if (turnsPerSecond > 0) {
        long wait = start + (long) (i * 1e9 / turnsPerSecond) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      ChatTurn t = turns.get(i);
      long now = System.currentTimeMillis();
      if (expected.contains(t.getTurnId())) {
        sentAt.put(t.getTurnId(), now);
        sent.add(t.getTurnId());
      }
      producer.send(new ProducerRecord<>(config.topics().chatTurns(), partitionOf.get(t.getConversationId()), now,
          t.getConversationId(), t));
    }
    producer.flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!visibleAt.keySet().containsAll(expected)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException((expected.size() - expected.stream().filter(visibleAt::containsKey).count())
            + " of " + expected.size() + " scores not visible within " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
    long last = expected.stream().mapToLong(visibleAt::get).max().orElse(first);
    List<TurnLatency> parts = expected.stream().map(id -> TurnLatency.of(sentAt.get(id), firstScore.get(id),
        visibleAt.get(id))).toList();
    double batches = deviceBatches() - batchesBefore;
    double padded = summaryTotal("queststream.batcher.batch.padded.tokens") - paddedBefore;
    double real = summaryTotal("queststream.batcher.batch.tokens") - tokensBefore;
    return new Pass(expected.size(), (last - first) / 1000.0, parts,
        (deviceBatchTurns() - turnsBefore) / batches, (modelMillis() - modelMsBefore) / batches,
        padded > 0 ? 1 - real / padded : 0);
  }

  /** Turns sent so far whose score was seen more than once. */
  long duplicateScores() {
    return scoreCounts.values().stream().filter(n -> n > 1).count();
  }

  /** Turns sent so far without a score, and scores of turns never sent. */
  long missingScores() {
    return sent.stream().filter(id -> !scoreCounts.containsKey(id)).count();
  }

  long unexpectedScores() {
    return scoreCounts.keySet().stream().filter(id -> !sent.contains(id)).count();
  }

  private double summaryTotal(String name) {
    return modelMeters.get(name).summary().totalAmount();
  }

  private double deviceBatches() {
    return modelMeters.get("queststream.batcher.batch.size").summary().count();
  }

  private double deviceBatchTurns() {
    return summaryTotal("queststream.batcher.batch.size");
  }

  private double modelMillis() {
    return modelMeters.get("queststream.batcher.model.time").timer().totalTime(TimeUnit.MILLISECONDS);
  }

  private void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (app.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || app.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("Kafka Streams did not reach RUNNING: " + app.state());
      }
      Thread.sleep(50);
    }
  }

  private void readScores(CountDownLatch listening) {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    RegistryAvroSerde<TurnScore> serde = new RegistryAvroSerde<>(TurnScore.class);
    serde.configure(config.clientProperties(), false);
    try (KafkaConsumer<String, TurnScore> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer())) {
      consumer.subscribe(List.of(config.topics().turnScores()));
      while (reading) {
        var records = consumer.poll(Duration.ofMillis(5));
        if (!consumer.assignment().isEmpty()) {
          listening.countDown();
        }
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, TurnScore> r : records) {
          String id = r.value().getTurnId();
          visibleAt.putIfAbsent(id, now);
          firstScore.putIfAbsent(id, r.value());
          scoreCounts.merge(id, 1, Integer::sum);
        }
      }
    }
  }

  private static <V extends SpecificRecord> KafkaProducer<String, V> producer(AppConfig config, Class<V> type) {
    Map<String, Object> props = new HashMap<>(config.clientProperties());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    RegistryAvroSerde<V> serde = new RegistryAvroSerde<>(type);
    serde.configure(config.clientProperties(), false);
    return new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
  }

  @Override
  public void close() throws InterruptedException {
    reading = false;
    reader.join(TimeUnit.SECONDS.toMillis(10));
    producer.close();
    app.close();
  }
}
