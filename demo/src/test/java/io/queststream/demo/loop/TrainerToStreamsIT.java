package io.queststream.demo.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.sample.SampleData;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.TurnScore;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.trainer.cli.TrainerCommand;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The retraining loop end to end on a real broker: a running scoring app with no weights holds its turns; the trainer
 * trains a first version from sample feedback and publishes it to reward-weights; the app installs it without a
 * restart and the held turns come out scored with that version.
 */
@RealKafka
class TrainerToStreamsIT {

  static KafkaBroker broker;

  @TempDir
  Path work;

  @Test
  void aVersionTheTrainerPublishesIsPickedUpByTheRunningApp() throws Exception {
    String registry = "mock://trainer-to-streams";
    String prefix = KafkaBroker.uniqueName("loop");
    Map<String, String> topics = Map.of("topics.chat-turns", prefix + "-turns",
        "topics.character-cards", prefix + "-cards", "topics.turn-scores", prefix + "-scores",
        "topics.moderation-events", prefix + "-moderation", "topics.turn-embeddings", prefix + "-embeddings",
        "topics.reward-weights", prefix + "-weights", "topics.dead-letters", prefix + "-dlq");
    WeightsKeys keys = WeightsKeys.createOrLoad(work.resolve("signing"));
    Map<String, String> settings = new java.util.HashMap<>(topics);
    settings.put("weights.trusted-keys-file", keys.publicKeyFile().toString());
    settings.putAll(Map.of("bootstrap.servers", broker.bootstrapServers(), "schema.registry.url", registry,
        "application.id", prefix, "state.dir", work.resolve("state").toString(), "commit.interval.ms", "100",
        "analytics.enabled", "false"));
    AppConfig config = AppConfig.from(settings);

    try (RewardScorer scorer = RewardScorers.create(ModelConfig.defaults());
        ScoringApp app = new ScoringApp(config, scorer,
            new ScoringMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))) {
      app.start();
      List<ChatTurn> conversation = SampleData.load().turnsByConversation().values().iterator().next();
      long assistantTurns = conversation.stream().filter(t -> t.getRole().equals("assistant")).count();
      send(config.topics().chatTurns(), conversation, registry);

      int exit = new CommandLine(new TrainerCommand()).execute("bootstrap", "--conversations", "15", "--config",
          trainerConfig(registry, config.topics().rewardWeights(), keys).toString());
      assertThat(exit).as("trainer bootstrap exit code").isZero();

      List<TurnScore> scores = readScores(config.topics().turnScores(), registry, assistantTurns,
          Duration.ofSeconds(120));
      assertThat(scores).hasSize((int) assistantTurns);
      assertThat(scores).allSatisfy(s -> {
        assertThat(s.getWeightsVersion()).isEqualTo(1L);
        assertThat(s.getBackboneId()).isEqualTo(scorer.backbone().id());
      });
    }
  }

  private Path trainerConfig(String registry, String weightsTopic, WeightsKeys keys) throws Exception {
    Properties p = new Properties();
    p.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
    p.setProperty("serde.schema.registry.url", registry);
    p.setProperty("topic.weights", weightsTopic);
    p.setProperty("data.dir", work.resolve("trainer").toString());
    p.setProperty("gating.hidden", "64");
    p.setProperty("gating.steps", "50");
    p.setProperty("signing.key.file", keys.privateKeyFile().toString());
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

  private List<TurnScore> readScores(String topic, String registry, long expected, Duration timeout) {
    RegistryAvroSerde<TurnScore> serde = new RegistryAvroSerde<>(TurnScore.class);
    serde.configure(Map.of("schema.registry.url", registry), false);
    List<TurnScore> out = new ArrayList<>();
    try (KafkaConsumer<String, TurnScore> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), serde.deserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, TurnScore> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
