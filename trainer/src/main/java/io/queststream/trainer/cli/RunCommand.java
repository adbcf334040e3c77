package io.queststream.trainer.cli;

import io.queststream.trainer.cycle.ContinuousTrainer;
import io.queststream.trainer.ops.HealthEndpoints;
import io.queststream.trainer.publish.KafkaWeightsStore;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Continuous mode: consume feedback and retrain every N new records and/or every T. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Consume feedback continuously; retrain every retrain.every.records joined records and/or every "
        + "retrain.every (ISO-8601 duration) when new feedback arrived.")
final class RunCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Override
  public Integer call() throws Exception {
    TrainerContext ctx = cli.context();
    CountDownLatch stopped = new CountDownLatch(1);
    try (KafkaWeightsStore store = ctx.store();
        ContinuousTrainer trainer = new ContinuousTrainer(ctx.config, ctx.cycle(store));
        HealthEndpoints health = new HealthEndpoints(ctx.config.httpHost(), ctx.config.httpPort(), trainer::ready)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        trainer.stop();
        try {
          stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      trainer.run();
    } finally {
      stopped.countDown();
    }
    return 0;
  }
}
