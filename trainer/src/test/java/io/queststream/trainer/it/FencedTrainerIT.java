package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.cycle.ContinuousTrainer;
import io.queststream.trainer.cycle.TrainingCycle;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.PublisherFencedException;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.support.SyntheticFeedback;
import io.queststream.trainer.support.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running trainer whose transactional id is taken over (a one-shot command publishing, or a second instance
 * started by mistake) stops with the fencing error at its next publish, or at its next commit of consumed feedback
 * (its dead letters' transactional id), instead of retrying, and publishes nothing.
 */
@RealKafka
class FencedTrainerIT {

  static KafkaBroker broker;

  @Test
  void aRunningTrainerStopsWithTheFencingErrorWhenAnotherTakesItsId(@TempDir Path dir) throws Exception {
    // given a continuous trainer that has published v1 from feedback
    TrainerConfig config = config("fenced", dir);
    SyntheticFeedback feedback = new SyntheticFeedback(16, 3);
    produce(config, feedback.records("first", 60));
    try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
        ContinuousTrainer trainer = new ContinuousTrainer(config,
            new TrainingCycle(config, store, new VersionHistory(dir.resolve("history")), dir.resolve("reports")))) {
      CompletableFuture<Void> running = CompletableFuture.runAsync(trainer::run);
      await().atMost(Duration.ofMinutes(2)).until(() -> versions(config).size() == 1);

      // when another publisher claims the same id and publishes v2, and new feedback makes the trainer retrain
      try (KafkaWeightsStore other = new KafkaWeightsStore(publisher(config), config.modelName(),
          TestKeys.SIGNER)) {
        other.publish(RewardHeads.newBuilder(other.latest().orElseThrow()).setVersion(2).setParentVersion(1L)
            .setStatus("manual").build());
      }
      produce(config, feedback.records("second", 60));

      // then the running trainer ends with the fencing error, naming its id, and publishes nothing more
      Throwable ended = running.handle((ok, error) -> error).get(2, TimeUnit.MINUTES);
      assertThat(ended).isNotNull();
      assertThat(ended.getCause()).isInstanceOf(PublisherFencedException.class)
          .hasMessageContaining(config.trainerId());
      assertThat(versions(config)).extracting(RewardHeads::getVersion).containsExactly(1L, 2L);
    }
  }

  private static TrainerConfig config(String name, Path dir) {
    String p = KafkaBroker.uniqueName(name);
    TrainerConfig config = TrainerConfig.load(null, Map.of())
        .with("kafka.bootstrap.servers", broker.bootstrapServers())
        .with("serde.schema.registry.url", "mock://" + p)
        .with("kafka.group.id", p + "-group")
        .with("topic.embeddings", p + "-embeddings").with("topic.ratings", p + "-ratings")
        .with("topic.preferences", p + "-preferences").with("topic.dlq", p + "-dlq")
        .with("topic.weights", p + "-weights")
        .with("attributes", String.join(",", SyntheticFeedback.ATTRIBUTES))
        .with("backbone.id", "test-backbone").with("backbone.dim", "16").with("gating.hidden", "16")
        .with("gating.steps", "50").with("gating.batch", "32").with("data.dir", dir.toString())
        .with("retrain.every.records", "150").with("retrain.every", "PT1H")
        .with("promotion.accuracy.tolerance", "1").with("promotion.publish.unevaluated", "true");
    for (String t : List.of("embeddings", "ratings", "preferences", "dlq")) {
      broker.createTopic(config.topic(t), 1, Map.of());
    }
    return config;
  }

  @Test
  void aSecondTrainerStartedUnderTheSameIdStopsTheFirstWithTheFencingError(@TempDir Path dir) throws Exception {
    // given a running trainer that has taken feedback and committed its offsets
    TrainerConfig config = config("second", dir.resolve("first"));
    produce(config, new SyntheticFeedback(16, 4).records("one", 20));
    try (KafkaWeightsStore store = new KafkaWeightsStore(publisher(config), config.modelName(), TestKeys.SIGNER);
        ContinuousTrainer first = new ContinuousTrainer(config, new TrainingCycle(config, store,
            new VersionHistory(dir.resolve("first/history")), dir.resolve("first/reports")))) {
      CompletableFuture<Void> running = CompletableFuture.runAsync(first::run);
      await().atMost(Duration.ofMinutes(1)).until(() -> committedEmbeddings(config) == 40);

      // when a second trainer is started by mistake with the same id (its own data directory), no feedback flowing
      TrainerConfig secondConfig = config.with("data.dir", dir.resolve("second").toString());
      try (KafkaWeightsStore secondStore = new KafkaWeightsStore(publisher(secondConfig), config.modelName(),
          TestKeys.SIGNER);
          ContinuousTrainer second = new ContinuousTrainer(secondConfig, new TrainingCycle(secondConfig, secondStore,
              new VersionHistory(dir.resolve("second/history")), dir.resolve("second/reports")))) {
        CompletableFuture<Void> secondRunning = CompletableFuture.runAsync(second::run);

        // then the first ends with the fencing error naming the id (its consumer was fenced: nothing was committed)
        Throwable ended = running.handle((ok, error) -> error).get(2, TimeUnit.MINUTES);
        assertThat(ended).isNotNull();
        assertThat(ended.getCause()).isInstanceOf(PublisherFencedException.class)
            .hasMessageContaining("feedback consumer group").hasMessageContaining(config.trainerId());

        // and the second takes the feedback that comes next
        produce(config, new SyntheticFeedback(16, 5).records("two", 20));
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(second.trainingSet().summary())
            .containsEntry("turns", "40"));
        assertThat(secondRunning).isNotDone();
        second.stop();
        secondRunning.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The group's committed offset on the embeddings topic (0 before its first commit). */
  private static long committedEmbeddings(TrainerConfig config) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(config.kafka().get("group.id").toString())
          .partitionsToOffsetAndMetadata().get().get(new TopicPartition(config.topic("embeddings"), 0));
      return o == null ? 0 : o.offset();
    }
  }

  private static WeightsPublisher publisher(TrainerConfig config) {
    return new WeightsPublisher(config.topic("weights"), config.trainerId(), config.kafka(), config.serde());
  }

  private static List<RewardHeads> versions(TrainerConfig config) {
    try (WeightsPublisher reader = new WeightsPublisher(config.topic("weights"), "reader", config.kafka(),
        config.serde())) {
      return reader.readAll(config.modelName(), Duration.ofSeconds(10));
    }
  }

  private static void produce(TrainerConfig config, List<SpecificRecord> records) throws Exception {
    RegistryAvroSerde<SpecificRecord> values = RegistryAvroSerde.anyOf(TurnEmbedding.class, AttributeRating.class,
        PreferencePair.class);
    values.configure(config.serde(), false);
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config.kafka(), new StringSerializer(),
        values.serializer())) {
      for (SpecificRecord r : records) {
        String topic = r instanceof TurnEmbedding ? config.topic("embeddings")
            : r instanceof AttributeRating ? config.topic("ratings") : config.topic("preferences");
        producer.send(new ProducerRecord<>(topic, r)).get();
      }
    }
  }
}
