package io.queststream.trainer.cli;

import io.queststream.trainer.cycle.TrainingCycle;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.feedback.DeadLetters;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.FeedbackLog;
import io.queststream.trainer.feedback.FeedbackService;
import io.queststream.trainer.feedback.KafkaDeadLetters;
import io.queststream.trainer.publish.KafkaWeightsStore;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Continuous mode: consume feedback and retrain every N new records and/or every T. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Consume feedback continuously; retrain every retrain.every.records joined records and/or every "
        + "retrain.every (ISO-8601 duration) when new feedback arrived.")
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @ParentCommand
  TrainerCli cli;

  @Override
  public Integer call() throws Exception {
    TrainerContext ctx = cli.context();
    TrainingSet set = ctx.newTrainingSet();
    try (KafkaDeadLetters deadLetters = new KafkaDeadLetters(ctx.config.topic("dead-letter"), ctx.config.kafka());
        KafkaWeightsStore store = ctx.store()) {
      // Replayed rejections were sent when their records first arrived; only live ones go to the topic.
      AtomicReference<DeadLetters> target = new AtomicReference<>(TrainerContext.discard());
      FeedbackJoiner joiner = ctx.joiner(set, (source, cause, message) -> target.get().reject(source, cause, message));
      try (FeedbackLog log = ctx.openLog(joiner)) {
        target.set(deadLetters);
        RetrainTrigger trigger = new RetrainTrigger(ctx.config.retrainEveryRecords(), ctx.config.retrainEvery(),
            joiner.accepted());
        ExecutorService training = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-cycle"));
        TrainingCycle cycle = ctx.cycle(store);
        CountDownLatch stopped = new CountDownLatch(1);
        try (FeedbackService service = new FeedbackService(ctx.config, log, joiner, deadLetters)) {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.stop();
            try {
              stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
          service.run(() -> {
            long accepted = joiner.accepted();
            if (trigger.due(accepted, System.currentTimeMillis())) {
              trigger.started(accepted, System.currentTimeMillis());
              training.submit(() -> {
                try {
                  cycle.run(set, trigger.reason());
                } catch (RuntimeException e) {
                  LOG.error("training run failed; the current version stays published", e);
                } finally {
                  trigger.finished();
                }
              });
            }
          });
        } finally {
          training.shutdown();
          training.awaitTermination(10, TimeUnit.MINUTES);
          stopped.countDown();
        }
      }
    }
    return 0;
  }
}
