package io.queststream.trainer.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queststream.trainer.cycle.ContinuousTrainer;
import io.queststream.trainer.metrics.TrainerMetrics;
import io.queststream.trainer.ops.HealthEndpoints;
import io.queststream.trainer.promotion.PromotionMode;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.PublisherFencedException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Continuous mode: consume feedback and retrain every N new records and/or every T. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Consume feedback continuously; retrain every retrain.every.records joined records and/or every "
        + "retrain.every (ISO-8601 duration) when new feedback arrived. Serves /health/live, /health/ready and "
        + "/metrics (Prometheus) on http.host:http.port.",
    footer = {"", "Exit status: 0 after a clean shutdown, 4 when another trainer with the same id (key id, "
        + "QUEST_TRAINER_ID) took over publishing: one-shot commands that publish (train, publish, rollback, "
        + "calibrate, bootstrap) share the id and fence a running trainer."})
final class RunCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Override
  public Integer call() throws Exception {
    TrainerContext ctx = cli.context();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainerMetrics metrics = new TrainerMetrics(registry).withJvmMetrics();
    CountDownLatch stopped = new CountDownLatch(1);
    try (KafkaWeightsStore store = ctx.store();
        ContinuousTrainer trainer = new ContinuousTrainer(ctx.config, ctx.cycle(store, metrics),
            ctx.config.promotionMode() == PromotionMode.SHADOW ? Optional.of(ctx.judge(store, metrics)) : Optional.empty());
        HealthEndpoints health = new HealthEndpoints(ctx.config.httpHost(), ctx.config.httpPort(), trainer::notReadyReasons,
            registry)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        trainer.stop();
        try {
          stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      trainer.run();
    } catch (PublisherFencedException e) {
      System.err.println("trainer stopped: " + e.getMessage());
      return TrainerCommand.EXIT_FENCED;
    } finally {
      stopped.countDown();
    }
    return 0;
  }
}
