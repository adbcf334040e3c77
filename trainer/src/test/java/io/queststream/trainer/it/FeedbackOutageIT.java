package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.SchemaRegistryServer;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.cycle.ContinuousTrainer;
import io.queststream.trainer.cycle.TrainingCycle;
import io.queststream.trainer.feedback.FeedbackLog;
import io.queststream.trainer.feedback.KafkaDeadLetters;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.support.CommittedDeadLetters;
import io.queststream.trainer.support.Records;
import io.queststream.trainer.support.SyntheticFeedback;
import io.queststream.trainer.support.TestKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback the trainer cannot take because a dependency failed — the schema registry stopped, the disk under its
 * data directory full — waits and is joined once the dependency is back: not ready with the reason meanwhile, nothing
 * dead-lettered for the outage, every record counted once, each bad record dead-lettered once however often its batch
 * is consumed again, and the feedback log whole after a restart. Expired feedback is dead-lettered once, and not again
 * after a restart. A trainer whose predecessor died inside a dead-letter transaction does not wait for it to time out.
 */
@RealKafka
class FeedbackOutageIT {

  private static final int CONTEXTS = 40;

  static KafkaBroker broker;

  @Test
  void feedbackReadWhileTheRegistryIsStoppedWaitsAndIsJoinedOnceWhenItReturns(@TempDir Path dir) throws Exception {
    try (SchemaRegistryServer registry = SchemaRegistryServer.startPersistent(dir.resolve("registry"))) {
      // given feedback framed while the registry was up, and a trainer that has not read any of its schemas
      TrainerConfig config = config("registry-outage", registry.url(), dir.resolve("data"));
      List<ProducerRecord<String, byte[]>> feedback = framed(config, new SyntheticFeedback(16, 5).records("r",
          CONTEXTS));
      registry.stop();
      try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
          ContinuousTrainer trainer = trainer(config, store, dir.resolve("data"))) {
        CompletableFuture<Void> running = CompletableFuture.runAsync(trainer::run);

        // when the feedback arrives while the registry is away
        send(config, feedback);

        // then it waits, the trainer says why, and nothing is dead-lettered
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(trainer.notReadyReasons())
            .anySatisfy(r -> assertThat(r).startsWith("schema-registry failing since")));
        assertThat(trainer.trainingSet().summary()).containsEntry("turns", "0");

        // and once the registry is back every record is joined once, still with no dead letter
        registry.restart();
        awaitJoined(trainer);
        await().atMost(Duration.ofSeconds(30)).until(() -> trainer.notReadyReasons().isEmpty());
        assertThat(deadLetterCauses(config)).isEmpty();
        trainer.stop();
        running.get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void feedbackOnAFullDataDirectoryWaitsAndIsJoinedOnceSpaceReturns(@TempDir Path dir) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "mounting a small tmpfs for the data directory needs root (CI runs as root)");
    Path data = Files.createDirectories(dir.resolve("data"));
    mount(data, "8m");
    try {
      // given a trainer whose data directory is on an 8 MiB file system, filled up but for a few KiB
      TrainerConfig config = config("disk-full", "mock://disk-full-" + System.nanoTime(), data);
      List<SpecificRecord> records = new SyntheticFeedback(16, 7).records("d", CONTEXTS);
      AttributeRating outOfScale = Records.rating("bad-rating", "d-ctx0-a", Map.of("creativity", 99f));
      try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
          ContinuousTrainer trainer = trainer(config, store, data)) {
        CompletableFuture<Void> running = CompletableFuture.runAsync(trainer::run);
        await().atMost(Duration.ofSeconds(60)).until(() -> trainer.notReadyReasons().isEmpty());
        Path ballast = fill(data);

        // when feedback arrives, with an undecodable record and a rating out of scale among it
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>(framed(config, records));
        batch.add(new ProducerRecord<>(config.topic("ratings"), "not avro".getBytes(StandardCharsets.UTF_8)));
        batch.addAll(framed(config, List.of(outOfScale)));
        send(config, batch);

        // then it waits for space, consuming the batch again after each backoff, and the trainer says why
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(trainer.notReadyReasons())
            .anySatisfy(r -> assertThat(r).startsWith("data-directory failing since")
                .contains("No space left on device")));
        Thread.sleep(3_000);

        // and once space returns every record is joined once, and each bad record has exactly one dead letter
        Files.delete(ballast);
        awaitJoined(trainer);
        await().atMost(Duration.ofSeconds(30)).until(() -> trainer.notReadyReasons().isEmpty());
        assertThat(deadLetterCauses(config)).containsExactlyInAnyOrder("UNDECODABLE", "RATING_OUT_OF_SCALE");
        trainer.stop();
        running.get(30, TimeUnit.SECONDS);
      }

      // and a restart replays exactly the records sent: nothing torn, nothing lost
      try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
          ContinuousTrainer restarted = trainer(config, store, data)) {
        assertThat(restarted.trainingSet().summary()).containsEntry("turns", Integer.toString(2 * CONTEXTS))
            .containsEntry("ratings", Integer.toString(2 * CONTEXTS))
            .containsEntry("preference_pairs", Integer.toString(CONTEXTS));
      }
    } catch (Throwable t) {
      try {
        run("umount", "--lazy", data.toString());
      } catch (Exception e) {
        t.addSuppressed(e);
      }
      throw t;
    }
    run("umount", data.toString());
  }

  @Test
  void badFeedbackWaitsWhileTheDeadLetterTopicIsMissingAndIsDeadLetteredOnceWhenItExists(@TempDir Path dir)
      throws Exception {
    // given a trainer whose dead-letter topic has not been created, with sends that give up after 2 s
    Path data = dir.resolve("data");
    TrainerConfig config = config("no-dlq", "mock://no-dlq-" + System.nanoTime(), data, false)
        .with("kafka.max.block.ms", "2000");
    try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
        ContinuousTrainer trainer = trainer(config, store, data)) {
      CompletableFuture<Void> running = CompletableFuture.runAsync(trainer::run);

      // when feedback arrives with an undecodable record and a rating out of scale among it
      List<ProducerRecord<String, byte[]>> batch = new ArrayList<>(framed(config,
          new SyntheticFeedback(16, 9).records("m", CONTEXTS)));
      batch.add(new ProducerRecord<>(config.topic("ratings"), "not avro".getBytes(StandardCharsets.UTF_8)));
      batch.addAll(framed(config, List.of(Records.rating("bad-rating", "m-ctx0-a", Map.of("creativity", 99f)))));
      send(config, batch);

      // then the transaction holding their dead letters fails, the trainer says why and the feedback waits
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(trainer.notReadyReasons())
          .anySatisfy(r -> assertThat(r).startsWith("kafka failing since")));
      Thread.sleep(3_000);

      // and once the topic exists every record is joined once and each bad record has exactly one dead letter
      broker.createTopic(config.topic("dlq"), 1, Map.of());
      awaitJoined(trainer);
      await().atMost(Duration.ofSeconds(60)).until(() -> trainer.notReadyReasons().isEmpty());
      assertThat(deadLetterCauses(config)).containsExactlyInAnyOrder("UNDECODABLE", "RATING_OUT_OF_SCALE");
      trainer.stop();
      running.get(30, TimeUnit.SECONDS);
    }

    // and the feedback log holds each valid record once, although its batch was consumed again after each failure
    List<SpecificRecord> logged = new ArrayList<>();
    FeedbackLog.open(data.resolve("feedback"), logged::add).close();
    assertThat(logged).hasSize(5 * CONTEXTS);
  }

  @Test
  void expiredFeedbackIsDeadLetteredOnceAndNotAgainAfterARestart(@TempDir Path dir) throws Exception {
    // given a trainer that lets feedback wait one second for its turns
    Path data = dir.resolve("data");
    TrainerConfig config = config("expiry", "mock://expiry-" + System.nanoTime(), data).with("feedback.grace", "PT1S");
    try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
        ContinuousTrainer trainer = trainer(config, store, data)) {
      CompletableFuture<Void> running = CompletableFuture.runAsync(trainer::run);

      // when a rating names a turn that never comes
      send(config, framed(config, List.of(Records.rating("orphan", "ghost", Map.of("creativity", 5f)))));

      // then it expires into exactly one dead letter
      await().atMost(Duration.ofSeconds(60)).until(() -> !deadLetterCauses(config).isEmpty());
      assertThat(deadLetterCauses(config)).containsExactly("UNKNOWN_TURN");
      trainer.stop();
      running.get(30, TimeUnit.SECONDS);
    }

    // and a trainer restarted on the same data directory replays the rating without letting it expire again
    try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
        ContinuousTrainer restarted = trainer(config, store, data)) {
      CompletableFuture<Void> running = CompletableFuture.runAsync(restarted::run);
      await().atMost(Duration.ofSeconds(60)).until(() -> restarted.notReadyReasons().isEmpty());
      Thread.sleep(3_000);
      assertThat(deadLetterCauses(config)).containsExactly("UNKNOWN_TURN");
      restarted.stop();
      running.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTrainerRestartedAfterItsPredecessorDiedInsideADeadLetterTransactionReadsFeedbackAtOnce(@TempDir Path dir)
      throws Exception {
    // given feedback, and a predecessor that died inside a dead-letter transaction carrying the group's offsets,
    // a transaction the broker would keep open for ten minutes
    Path data = dir.resolve("data");
    TrainerConfig config = config("predecessor", "mock://predecessor-" + System.nanoTime(), data);
    send(config, framed(config, new SyntheticFeedback(16, 11).records("p", CONTEXTS)));
    KafkaProducer<byte[], byte[]> predecessor = transactionLeftOpen(config, Duration.ofMinutes(10));
    try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
        ContinuousTrainer trainer = trainer(config, store, data)) {
      // when the trainer starts again
      CompletableFuture<Void> running = CompletableFuture.runAsync(trainer::run);

      // then it reads and joins every record, long before that transaction would time out
      awaitJoined(trainer);

      // and the predecessor is fenced, its dead letter aborted with its transaction
      assertThatThrownBy(predecessor::commitTransaction).isInstanceOf(ProducerFencedException.class);
      assertThat(deadLetterCauses(config)).isEmpty();
      trainer.stop();
      running.get(30, TimeUnit.SECONDS);
    } finally {
      predecessor.close(Duration.ZERO);
    }
  }

  /**
   * A producer under the trainer's dead-letter transactional id whose transaction holds a dead letter and the
   * group's offsets and is never ended, as a trainer SIGKILLed between sending them and committing leaves it.
   */
  private static KafkaProducer<byte[], byte[]> transactionLeftOpen(TrainerConfig config, Duration timeout)
      throws Exception {
    Map<String, Object> p = new HashMap<>(config.kafka());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.trainerId() + "-feedback");
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) timeout.toMillis());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer());
    producer.initTransactions();
    producer.beginTransaction();
    ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(config.topic("dlq"),
        "a dead letter of the predecessor".getBytes(StandardCharsets.UTF_8));
    deadLetter.headers().add(KafkaDeadLetters.CAUSE, "UNDECODABLE".getBytes(StandardCharsets.UTF_8));
    producer.send(deadLetter).get();
    producer.sendOffsetsToTransaction(Map.of(new TopicPartition(config.topic("embeddings"), 0),
        new OffsetAndMetadata(1)), new ConsumerGroupMetadata(config.kafka().get("group.id").toString()));
    return producer;
  }

  private static TrainerConfig config(String name, String registryUrl, Path data) {
    return config(name, registryUrl, data, true);
  }

  private static TrainerConfig config(String name, String registryUrl, Path data, boolean withDeadLetterTopic) {
    String p = KafkaBroker.uniqueName(name);
    TrainerConfig config = TrainerConfig.load(null, Map.of())
        .with("kafka.bootstrap.servers", broker.bootstrapServers())
        .with("serde.schema.registry.url", registryUrl)
        .with("kafka.group.id", p + "-group")
        .with("topic.embeddings", p + "-embeddings").with("topic.ratings", p + "-ratings")
        .with("topic.preferences", p + "-preferences").with("topic.dlq", p + "-dlq")
        .with("topic.weights", p + "-weights")
        .with("attributes", String.join(",", SyntheticFeedback.ATTRIBUTES))
        .with("backbone.id", "test-backbone").with("backbone.dim", "16")
        .with("data.dir", data.toString())
        .with("retrain.every.records", "1000000").with("retrain.every", "PT24H")
        .with("recovery.backoff.initial", "PT0.5S").with("recovery.backoff.max", "PT2S");
    for (String t : withDeadLetterTopic ? List.of("embeddings", "ratings", "preferences", "dlq")
        : List.of("embeddings", "ratings", "preferences")) {
      broker.createTopic(config.topic(t), 1, Map.of());
    }
    return config;
  }

  private static ContinuousTrainer trainer(TrainerConfig config, KafkaWeightsStore store, Path data) {
    return new ContinuousTrainer(config, new TrainingCycle(config, store, new VersionHistory(data.resolve("history")),
        data.resolve("reports")));
  }

  private static void awaitJoined(ContinuousTrainer trainer) {
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(trainer.trainingSet().summary())
        .containsEntry("turns", Integer.toString(2 * CONTEXTS))
        .containsEntry("ratings", Integer.toString(2 * CONTEXTS))
        .containsEntry("preference_pairs", Integer.toString(CONTEXTS)));
  }

  private static WeightsPublisher publisher(TrainerConfig config) {
    return new WeightsPublisher(config.topic("weights"), config.trainerId(), config.kafka(), config.serde());
  }

  /** Frames every record now, so that sending them later needs no registry. */
  private static List<ProducerRecord<String, byte[]>> framed(TrainerConfig config, List<SpecificRecord> records) {
    RegistryAvroSerde<SpecificRecord> values = RegistryAvroSerde.anyOf(TurnEmbedding.class, AttributeRating.class,
        PreferencePair.class);
    values.configure(config.serde(), false);
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    for (SpecificRecord r : records) {
      String topic = r instanceof TurnEmbedding ? config.topic("embeddings")
          : r instanceof AttributeRating ? config.topic("ratings") : config.topic("preferences");
      out.add(new ProducerRecord<>(topic, values.serializer().serialize(topic, r)));
    }
    return out;
  }

  private static void send(TrainerConfig config, List<ProducerRecord<String, byte[]>> records) throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafka(), new StringSerializer(),
        new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : records) {
        producer.send(r).get();
      }
    }
  }

  private static List<String> deadLetterCauses(TrainerConfig config) {
    return CommittedDeadLetters.causes(broker.bootstrapServers(), config.topic("dlq"));
  }

  private static Path fill(Path dir) throws IOException {
    Path ballast = dir.resolve("ballast");
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(ballast)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
        throw full;
      }
    }
    return ballast;
  }

  private static void mount(Path dir, String size) throws Exception {
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
    }
  }
}
