package io.queststream.trainer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queststream.trainer.feedback.RejectionCause;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.metrics.TrainerMetrics;
import io.queststream.trainer.metrics.TrainerMetrics.RunOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheTrainersMetricsInPrometheusFormatAndReadinessAsStatus() throws Exception {
    // given a trainer's meters after some feedback, a dead letter and one published run
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainerMetrics metrics = new TrainerMetrics(registry).withJvmMetrics();
    metrics.feedbackConsumed("turn-ratings");
    metrics.feedbackConsumed("turn-ratings");
    metrics.feedbackConsumed("turn-embeddings");
    metrics.counting((s, c, m) -> { }).reject(SourceRecord.local("t"), RejectionCause.BACKBONE_MISMATCH, "other");
    metrics.candidateEvaluated(Map.of("heldout.pairwise_accuracy", 0.8125), Map.of());
    metrics.trainingRun(RunOutcome.PUBLISHED, Duration.ofMillis(1500));
    metrics.versionPublished(3);
    metrics.candidateRejected();
    metrics.dependencyFailed("schema-registry");
    AtomicReference<List<String>> notReady = new AtomicReference<>(List.of("schema-registry failing since ..."));

    try (HealthEndpoints endpoints = new HealthEndpoints("127.0.0.1", 0, notReady::get, registry)) {
      // when scraped
      HttpResponse<String> scrape = get(endpoints, "/metrics");

      // then every trainer meter is there with its value, next to the JVM's
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(v -> v.startsWith("text/plain"));
      assertThat(scrape.body())
          .contains("quest_trainer_feedback_consumed_total{topic=\"turn-ratings\"} 2.0")
          .contains("quest_trainer_feedback_consumed_total{topic=\"turn-embeddings\"} 1.0")
          .contains("quest_trainer_feedback_dead_letters_total{cause=\"BACKBONE_MISMATCH\"} 1.0")
          .contains("quest_trainer_feedback_dead_letters_total{cause=\"UNDECODABLE\"} 0.0")
          .contains("quest_trainer_training_runs_seconds_count{outcome=\"published\"} 1")
          .contains("quest_trainer_training_runs_seconds_sum{outcome=\"published\"} 1.5")
          .contains("quest_trainer_candidate_pairwise_accuracy 0.8125")
          .contains("quest_trainer_versions_published_total 1.0")
          .contains("quest_trainer_versions_rejected_total 1.0")
          .contains("quest_trainer_weights_version 3.0")
          .contains("quest_trainer_dependency_up{dependency=\"schema-registry\"} 0.0")
          .contains("quest_trainer_transient_failures_total{dependency=\"schema-registry\"} 1.0")
          .contains("jvm_memory_used_bytes");

      // and readiness follows the trainer: 503 with the reasons while it cannot take feedback, 200 once it can
      HttpResponse<String> waiting = get(endpoints, "/health/ready");
      assertThat(waiting.statusCode()).isEqualTo(503);
      assertThat(waiting.body()).isEqualTo("schema-registry failing since ...");
      notReady.set(List.of());
      assertThat(get(endpoints, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(endpoints, "/health/live").statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> get(HealthEndpoints endpoints, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
