package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.app.HealthServer;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.Pipeline;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.Turns;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weights follow the reward-weights topic while the app runs: buffered turns wait for the first weights, a 25 MB
 * record for another backbone is rejected without disturbing the running version, the next version is swapped in.
 */
@RealKafka
@RealSchemaRegistry
class WeightsHotSwapIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;
  /** Its own scorer: this test needs one that has never seen weights. */
  private static RewardScorer scorer;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void loadModel() throws Exception {
    scorer = RewardScorers.create(ModelConfig.defaults());
  }

  @AfterAll
  static void closeModel() {
    scorer.close();
  }

  private HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static RewardHeads heads(long version) {
    return TestHeads.of(scorer.backbone().id(), scorer.backbone().embeddingDim(), version, version);
  }

  @Test
  void swapsWeightsMidStreamRejectsALargeBadRecordAndReportsReadiness() throws Exception {
    Pipeline p = new Pipeline(broker, registry, Map.of("batch.max-size", "2", "weights.model-name",
        TestHeads.MODEL_NAME));
    String turnsTopic = p.config.topics().chatTurns();
    String weightsTopic = p.config.topics().rewardWeights();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ScoringApp app = new ScoringApp(p.config, scorer, new ScoringMetrics(prometheus));
        HealthServer server = new HealthServer("127.0.0.1", 0, app, prometheus).start();
        KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class)) {
      app.start();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.assistant("c1", "a1", "Welcome, traveller.", null)));
      turns.send(new ProducerRecord<>(turnsTopic, "c2", Turns.assistant("c2", "a2", "The storm is close.", null)));
      turns.flush();

      await().atMost(Duration.ofSeconds(60)).until(() -> app.state().isRunningOrRebalancing()
          && app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
      HttpResponse<String> notReady = get(server, "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("no reward weights installed");
      assertThat(p.read(p.config.topics().turnScores(), TurnScore.class, 1, Duration.ofSeconds(2), Duration.ZERO,
          true)).as("turns wait for weights, not scored and not lost").isEmpty();

      weights.send(new ProducerRecord<>(weightsTopic, TestHeads.MODEL_NAME, heads(1))).get();
      List<ConsumerRecord<String, TurnScore>> first = p.read(p.config.topics().turnScores(), TurnScore.class, 2,
          Duration.ofSeconds(60), Duration.ZERO, true);
      assertThat(first).extracting(r -> r.value().getWeightsVersion()).containsExactly(1L, 1L);
      await().atMost(Duration.ofSeconds(10)).until(() -> get(server, "/health/ready").statusCode() == 200);

      RewardHeads large = TestHeads.withFullGating("some-4096-d-backbone", 4096, 2);
      weights.send(new ProducerRecord<>(weightsTopic, TestHeads.MODEL_NAME, large)).get();
      List<ConsumerRecord<String, byte[]>> rejections = p.readRaw(p.config.topics().deadLetters(), 1,
          Duration.ofSeconds(60), Duration.ofSeconds(3));
      assertThat(rejections).singleElement().satisfies(r -> {
        assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.KIND)).isEqualTo("weights");
        assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("BACKBONE_MISMATCH");
        assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.MESSAGE)).contains("v2")
            .contains("some-4096-d-backbone");
        assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(weightsTopic);
      });
      assertThat(scorer.currentWeights().orElseThrow().version()).isEqualTo(1);

      weights.send(new ProducerRecord<>(weightsTopic, TestHeads.MODEL_NAME, heads(3))).get();
      await().atMost(Duration.ofSeconds(30)).until(() -> scorer.currentWeights().orElseThrow().version() == 3);
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.assistant("c1", "a3", "Another room?", null)));
      turns.send(new ProducerRecord<>(turnsTopic, "c2", Turns.assistant("c2", "a4", "Bar the door.", null)));
      turns.flush();

      List<ConsumerRecord<String, TurnScore>> all = p.read(p.config.topics().turnScores(), TurnScore.class, 4,
          Duration.ofSeconds(60), Duration.ZERO, true);
      assertThat(all).extracting(r -> r.value().getTurnId() + "@v" + r.value().getWeightsVersion())
          .containsExactlyInAnyOrder("a1@v1", "a2@v1", "a3@v3", "a4@v3");

      String metrics = get(server, "/metrics").body();
      assertThat(metrics).contains("quest_weights_version 3.0").contains("quest_scores_total 4.0")
          .contains("quest_weights_rejected_total{reason=\"BACKBONE_MISMATCH\"} 1.0").contains("kafka_stream_");
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
    }
  }
}
