package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import io.queststream.trainer.cli.TrainerCommand;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.cycle.ContinuousTrainer;
import io.queststream.trainer.cycle.CycleOutcome;
import io.queststream.trainer.cycle.TrainingCycle;
import io.queststream.trainer.feedback.KafkaDeadLetters;
import io.queststream.trainer.feedback.RejectionCause;
import io.queststream.trainer.metrics.TrainerMetrics;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.support.Records;
import io.queststream.trainer.support.SyntheticFeedback;
import io.queststream.trainer.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Feedback through a real broker and registry: the continuous trainer joins it, publishes v1 transactionally to the
 * weights topic (read back read_committed), routes bad feedback to the dead-letter topic with its cause, and a
 * candidate that fails the gate never reaches the topic.
 */
@RealKafka
@RealSchemaRegistry
class TrainerPublishIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @Test
  void publishesAVersionFromFeedbackAndKeepsARejectedCandidateOffTheTopic(@TempDir Path dir) throws Exception {
    // given topics, a trainer configured for them, and 150 contexts of feedback plus two bad records on the wire
    String p = KafkaBroker.uniqueName("trainer");
    TrainerConfig config = TrainerConfig.load(null, Map.of())
        .with("kafka.bootstrap.servers", broker.bootstrapServers())
        .with("serde.schema.registry.url", registry.url())
        .with("serde.subject.name.strategy", "topic_record")
        .with("kafka.group.id", p + "-group")
        .with("topic.embeddings", p + "-embeddings").with("topic.ratings", p + "-ratings")
        .with("topic.preferences", p + "-preferences").with("topic.dlq", p + "-dlq")
        .with("topic.weights", p + "-weights")
        .with("attributes", String.join(",", SyntheticFeedback.ATTRIBUTES))
        .with("backbone.id", "test-backbone").with("backbone.dim", "16").with("gating.hidden", "32")
        .with("gating.steps", "150")
        .with("gating.batch", "32").with("data.dir", dir.toString())
        .with("retrain.every.records", "450").with("retrain.every", "PT1H")
        .with("signing.key.file", TestKeys.privateKeyFile(dir).toString());
    for (String t : List.of("embeddings", "ratings", "preferences", "dlq")) {
      broker.createTopic(config.topic(t), 1, Map.of());
    }
    List<SpecificRecord> records = new SyntheticFeedback(16, 5).records("it", 150);
    produce(config, records);
    produceBad(config);

    // when the continuous trainer runs
    VersionHistory history = new VersionHistory(dir.resolve("history"));
    TrainerMetrics metrics = TrainerMetrics.standalone();
    try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
        ContinuousTrainer trainer = new ContinuousTrainer(config,
            new TrainingCycle(config, store, history, dir.resolve("reports"), metrics))) {
      Thread loop = new Thread(trainer::run, "trainer-loop");
      loop.start();

      // then v1 appears on the weights topic for read_committed readers
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .until(() -> publishedVersions(config).size() == 1);
      RewardHeads v1 = publishedVersions(config).get(0);
      assertThat(v1.getVersion()).isEqualTo(1);
      assertThat(v1.getSignatureKeyId()).isEqualTo(TestKeys.SIGNER.keyId());
      TestKeys.TRUSTED.verify(v1);
      assertThat(v1.getMetrics()).containsKey("heldout.pairwise_accuracy");
      assertThat(v1.getTrainingSummary()).containsEntry("ratings", "300");

      // and the bad feedback is on the dead-letter topic with its cause
      List<String> causes = deadLetterCauses(config, 2);
      assertThat(causes).containsExactlyInAnyOrder("RATING_OUT_OF_SCALE", "UNDECODABLE");

      // and counted in the metrics with the published version
      assertThat(metrics.deadLetters(RejectionCause.RATING_OUT_OF_SCALE)).isEqualTo(1);
      assertThat(metrics.deadLetters(RejectionCause.UNDECODABLE)).isEqualTo(1);
      assertThat(metrics.registry().get("quest.trainer.versions.published").counter().count()).isEqualTo(1);
      assertThat(metrics.registry().get("quest.trainer.weights.version").gauge().value()).isEqualTo(1);
      assertThat(metrics.registry().get("quest.trainer.feedback.consumed").counters().stream()
          .mapToDouble(c -> c.count()).sum()).isEqualTo(records.size() + 2.0);

      trainer.stop();
      loop.join(30_000);

      // when a candidate must beat v1 by 50 points
      TrainerConfig strict = config.with("promotion.accuracy.tolerance", "-0.5");
      CycleOutcome rejected = new TrainingCycle(strict, store, history, dir.resolve("reports"))
          .run(trainer.trainingSet(), "test");

      // then it is recorded as rejected and the topic still holds only v1
      assertThat(rejected.decision().promote()).isFalse();
      assertThat(publishedVersions(config)).extracting(RewardHeads::getVersion).containsExactly(1L);
      assertThat(history.entries().get(history.entries().size() - 1).status()).isEqualTo("rejected");
    }

    // when v1 is rolled back to through the command line
    Path props = dir.resolve("trainer.properties");
    Properties p2 = new Properties();
    p2.putAll(config.values());
    try (var out = Files.newBufferedWriter(props)) {
      p2.store(out, null);
    }
    int exit = new CommandLine(new TrainerCommand()).execute("--config", props.toString(), "rollback", "1");

    // then v2 carries v1's weights with status rollback and parent 1
    assertThat(exit).isZero();
    List<RewardHeads> versions = publishedVersions(config);
    assertThat(versions).extracting(RewardHeads::getVersion).containsExactly(1L, 2L);
    RewardHeads v2 = versions.get(1);
    assertThat(v2.getStatus()).isEqualTo("rollback");
    assertThat(v2.getParentVersion()).isEqualTo(1L);
    assertThat(v2.getRegression()).isEqualTo(versions.get(0).getRegression());

    // when v1 is rolled back to again, now that v2 is current
    assertThat(new CommandLine(new TrainerCommand()).execute("--config", props.toString(), "rollback", "1")).isZero();

    // then v3 is a new version, signed, whose parent is v1 (the version it copies), not the current v2
    RewardHeads v3 = publishedVersions(config).get(2);
    assertThat(v3.getVersion()).isEqualTo(3);
    assertThat(v3.getParentVersion()).isEqualTo(1L);
    assertThat(v3.getStatus()).isEqualTo("rollback");
    assertThat(v3.getRegression()).isEqualTo(versions.get(0).getRegression());
    TestKeys.TRUSTED.verify(v3);
    assertThat(new CommandLine(new TrainerCommand()).execute("--config", props.toString(), "history")).isZero();
  }

  private static WeightsPublisher publisher(TrainerConfig config) {
    return new WeightsPublisher(config.topic("weights"), config.trainerId(), config.kafka(), config.serde());
  }

  private static List<RewardHeads> publishedVersions(TrainerConfig config) {
    try (WeightsPublisher p = publisher(config)) {
      return p.readAll(config.modelName(), Duration.ofSeconds(10));
    }
  }

  private static void produce(TrainerConfig config, List<SpecificRecord> records) throws Exception {
    Map<String, Object> serde = new HashMap<>(config.serde());
    Serializer<TurnEmbedding> embeddings = serializer(new RegistryAvroSerde<>(TurnEmbedding.class), serde);
    Serializer<AttributeRating> ratings = serializer(new RegistryAvroSerde<>(AttributeRating.class), serde);
    Serializer<SpecificRecord> prefs = serializer(RegistryAvroSerde.anyOf(PreferencePair.class, Ranking.class),
        serde);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.kafka(), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (SpecificRecord r : records) {
        String topic;
        byte[] value;
        if (r instanceof TurnEmbedding e) {
          topic = config.topic("embeddings");
          value = embeddings.serialize(topic, e);
        } else if (r instanceof AttributeRating a) {
          topic = config.topic("ratings");
          value = ratings.serialize(topic, a);
        } else {
          topic = config.topic("preferences");
          value = prefs.serialize(topic, r);
        }
        producer.send(new ProducerRecord<>(topic, value)).get();
      }
    }
  }

  private static void produceBad(TrainerConfig config) throws Exception {
    Serializer<AttributeRating> ratings = serializer(new RegistryAvroSerde<>(AttributeRating.class),
        new HashMap<>(config.serde()));
    String topic = config.topic("ratings");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.kafka(), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, ratings.serialize(topic,
          Records.rating("bad-1", "it-ctx0-a", Map.of(SyntheticFeedback.ATTRIBUTES.get(0), 42f))))).get();
      producer.send(new ProducerRecord<>(topic, "not avro".getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  private static <T extends SpecificRecord> Serializer<T> serializer(RegistryAvroSerde<T> serde,
      Map<String, Object> props) {
    serde.configure(props, false);
    return serde.serializer();
  }

  /** Causes of the committed dead letters, read until {@code expected} came and then 3 s more (a second would show). */
  private static List<String> deadLetterCauses(TrainerConfig config, int expected) {
    Map<String, Object> c = new HashMap<>(config.kafka());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> causes = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.topic("dlq")));
      long deadline = System.currentTimeMillis() + 30_000;
      while (causes.size() < expected && System.currentTimeMillis() < deadline) {
        poll(consumer, causes);
      }
      long settle = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < settle) {
        poll(consumer, causes);
      }
    }
    return causes;
  }

  private static void poll(KafkaConsumer<byte[], byte[]> consumer, List<String> causes) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
      causes.add(new String(r.headers().lastHeader(KafkaDeadLetters.CAUSE).value(), StandardCharsets.UTF_8));
    }
  }
}
