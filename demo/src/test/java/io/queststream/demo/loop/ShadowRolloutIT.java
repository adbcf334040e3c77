package io.queststream.demo.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.demo.chaos.PlumbingHeads;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.WeightsVersion;
import io.queststream.model.config.ModelConfig;
import io.queststream.sample.SampleData;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnScore;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.trainer.cli.TrainerCommand;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.WeightsPublisher;
import java.io.Writer;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The two-phase rollout end to end on a real broker: the trainer's candidate is shadowed by the running scoring app
 * on every turn; `trainer shadow decide` waits while the window is short, then promotes the candidate once the
 * shadow scores the app wrote meet the criteria; the app serves it and shadows no more turns.
 */
@RealKafka
class ShadowRolloutIT {

  static KafkaBroker broker;

  @TempDir
  Path work;

  @Test
  void theAppShadowsTheTrainersCandidateAndServesItOnceTheTrainerPromotesIt() throws Exception {
    String registry = "mock://shadow-rollout";
    String prefix = KafkaBroker.uniqueName("shadow");
    Map<String, String> settings = new HashMap<>(Map.of("topics.chat-turns", prefix + "-turns",
        "topics.character-cards", prefix + "-cards", "topics.turn-scores", prefix + "-scores",
        "topics.moderation-events", prefix + "-moderation", "topics.turn-embeddings", prefix + "-embeddings",
        "topics.reward-weights", prefix + "-weights", "topics.dead-letters", prefix + "-dlq",
        "topics.turn-scores-shadow", prefix + "-shadow"));
    WeightsKeys keys = WeightsKeys.createOrLoad(work.resolve("signing"));
    settings.put("weights.trusted-keys-file", keys.publicKeyFile().toString());
    settings.putAll(Map.of("bootstrap.servers", broker.bootstrapServers(), "schema.registry.url", registry,
        "application.id", prefix, "state.dir", work.resolve("state").toString(), "commit.interval.ms", "100",
        "analytics.enabled", "false"));
    AppConfig config = AppConfig.from(settings);
    List<ChatTurn> conversation = SampleData.load().turnsByConversation().values().iterator().next();
    int assistantTurns = (int) conversation.stream().filter(t -> t.getRole().equals("assistant")).count();
    Path trainerConfig = trainerConfig(registry, config, keys, assistantTurns);
    Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    Map<String, Object> serde = Map.of("schema.registry.url", registry);

    try (RewardScorer scorer = RewardScorers.create(ModelConfig.defaults());
        ScoringApp app = new ScoringApp(config, scorer, new ScoringMetrics(new SimpleMeterRegistry()))) {
      app.start();
      // The serving v1 and a candidate v2 with the same heads: every shadowed turn agrees.
      String weightsTopic = config.topics().rewardWeights();
      try (KafkaWeightsStore store = new KafkaWeightsStore(new WeightsPublisher(weightsTopic,
          "quest-trainer-" + weightsTopic + "-quest-rm", kafka, serde), PlumbingHeads.MODEL_NAME, keys.signer())) {
        RewardHeads v1 = PlumbingHeads.forMiniLm(1, 42);
        v1.setStatus("promoted");
        store.publish(v1);
        RewardHeads v2 = PlumbingHeads.forMiniLm(2, 42);
        v2.setParentVersion(1L);
        store.publishCandidate(v2);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> scorer.currentWeights().map(WeightsVersion::version)
          .orElse(0L) == 1 && scorer.currentCandidate().map(RewardHeads::getVersion).orElse(0L) == 2);
      assertThat(decide(trainerConfig)).as("no turn shadowed yet: the trainer waits").isEqualTo(5);

      send(config.topics().chatTurns(), conversation, registry);
      await().atMost(Duration.ofSeconds(120)).until(() -> readAll(config.topics().turnScores(), TurnScore.class,
          registry).size() == assistantTurns);
      List<ShadowScore> shadowed = readAll(config.topics().shadowScores(), ShadowScore.class, registry);
      assertThat(shadowed).hasSize(assistantTurns);
      assertThat(shadowed).allSatisfy(s -> {
        assertThat(s.getServingVersion()).isEqualTo(1);
        assertThat(s.getCandidateVersion()).isEqualTo(2);
        assertThat(s.getCandidateScore()).isEqualTo(s.getServingScore());
      });

      assertThat(decide(trainerConfig)).as("the window meets the criteria: promoted").isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> scorer.currentWeights().orElseThrow().version() == 2
          && scorer.currentCandidate().isEmpty());
      assertThat(decide(trainerConfig)).as("no candidate any more").isEqualTo(3);

      List<ChatTurn> again = conversation.stream().map(t -> ChatTurn.newBuilder(t)
          .setTurnId(t.getTurnId() + "#again").setConversationId(t.getConversationId() + "#again")
          .setParentTurnId(t.getParentTurnId() == null ? null : t.getParentTurnId() + "#again").build()).toList();
      send(config.topics().chatTurns(), again, registry);
      await().atMost(Duration.ofSeconds(120)).until(() -> readAll(config.topics().turnScores(), TurnScore.class,
          registry).size() == 2 * assistantTurns);
      List<TurnScore> scores = readAll(config.topics().turnScores(), TurnScore.class, registry);
      assertThat(scores).filteredOn(s -> s.getTurnId().endsWith("#again"))
          .hasSize(assistantTurns).allSatisfy(s -> assertThat(s.getWeightsVersion()).isEqualTo(2));
      assertThat(readAll(config.topics().shadowScores(), ShadowScore.class, registry))
          .as("after the promotion no turn is shadowed").hasSize(assistantTurns);
    }
  }

  private static int decide(Path trainerConfig) {
    return new CommandLine(new TrainerCommand()).execute("shadow", "decide", "--config", trainerConfig.toString());
  }

  private Path trainerConfig(String registry, AppConfig app, WeightsKeys keys, int minTurns) throws Exception {
    Properties p = new Properties();
    p.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
    p.setProperty("serde.schema.registry.url", registry);
    p.setProperty("topic.weights", app.topics().rewardWeights());
    p.setProperty("topic.shadow", app.topics().shadowScores());
    p.setProperty("data.dir", work.resolve("trainer").toString());
    p.setProperty("signing.key.file", keys.privateKeyFile().toString());
    p.setProperty("backbone.dim", "384");
    p.setProperty("shadow.min-turns", Integer.toString(minTurns));
    p.setProperty("shadow.min-rank-correlation", "0.99");
    p.setProperty("shadow.max-flip-rate", "0");
    p.setProperty("shadow.max-mean-shift", "0.001");
    Path file = work.resolve("trainer.properties");
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, null);
    }
    return file;
  }

  private void send(String topic, List<ChatTurn> turns, String registry) {
    RegistryAvroSerde<ChatTurn> serde = new RegistryAvroSerde<>(ChatTurn.class);
    serde.configure(Map.of("schema.registry.url", registry), false);
    try (KafkaProducer<String, ChatTurn> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
        serde.serializer())) {
      turns.forEach(t -> producer.send(new ProducerRecord<>(topic, t.getConversationId(), t)));
    }
  }

  /** Every committed record of the topic, each partition read from its start to its last stable offset. */
  private <V extends SpecificRecord> List<V> readAll(String topic, Class<V> type, String registry) {
    RegistryAvroSerde<V> serde = new RegistryAvroSerde<>(type);
    serde.configure(Map.of("schema.registry.url", registry), false);
    List<V> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), serde.deserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
      }
    }
    return out;
  }
}
