package io.queststream.streams.cli;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queststream.config.ConfigOptions;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelSettings;
import io.queststream.streams.app.HealthServer;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.ConfigLoader;
import io.queststream.streams.metrics.ScoringMetrics;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the scoring service until it is stopped (SIGTERM / Ctrl-C) or Kafka Streams fails. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Scores assistant turns from the chat-turns topic and publishes turn-scores, moderation-events and "
            + "turn-embeddings, exactly once, and (analytics.enabled) the leaderboards, policy-ratings and "
            + "drift-alerts derived from them. Creates missing topics, serves /health/live, /health/ready and "
            + "/metrics on http.host:http.port (127.0.0.1:8088 by default).",
        "Configuration, lowest precedence first: defaults, --config file, QUEST_* environment variables, "
            + "--bootstrap-servers / --schema-registry-url, -D overrides. 'streams-app settings' lists every key.",
        "Exit status: 0 after a clean shutdown, 1 when Kafka Streams (scoring or analytics) failed or a model call "
            + "ran past health.model-call-deadline-ms."})
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin
  ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    AppConfig config = AppConfig.from(ConfigLoader.values(options));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Heap used/committed/max per pool: how close the app runs to -Xmx while a backlog builds.
    new JvmMemoryMetrics().bindTo(registry);
    ScoringMetrics metrics = new ScoringMetrics(registry);
    try (RewardScorer scorer = RewardScorers.create(ModelSettings.toModelConfig(config.model(), registry));
        ScoringApp app = new ScoringApp(config, scorer, metrics);
        HealthServer http = new HealthServer(config.httpHost(), config.httpPort(), app, registry).start()) {
      LOG.info("Health and metrics on http://{}:{}/", config.httpHost(), http.port());
      Thread hook = new Thread(app::close, "scoring-app-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      app.start();
      app.awaitStop();
      return app.failed() ? 1 : 0;
    }
  }
}
