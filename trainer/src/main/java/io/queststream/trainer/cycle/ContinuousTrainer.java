package io.queststream.trainer.cycle;

import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.feedback.DeadLetters;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.FeedbackLog;
import io.queststream.trainer.feedback.FeedbackService;
import io.queststream.trainer.feedback.KafkaDeadLetters;
import io.queststream.trainer.feedback.SourceRecord;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous mode: replays the feedback log, then consumes feedback and runs a training cycle on a background thread
 * whenever the retrain trigger fires (one run at a time; a failed run leaves the current version published).
 */
public final class ContinuousTrainer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ContinuousTrainer.class);

  private final TrainerConfig config;
  private final TrainingCycle cycle;
  private final TrainingSet set;
  private final AtomicReference<DeadLetters> deadLetterTarget = new AtomicReference<>((s, c, m) -> { });
  private final FeedbackJoiner joiner;
  private final KafkaDeadLetters deadLetters;
  private final FeedbackLog log;
  private final FeedbackService service;
  private final ExecutorService training = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-cycle"));
  private volatile boolean polling;

  public ContinuousTrainer(TrainerConfig config, TrainingCycle cycle) {
    this.config = config;
    this.cycle = cycle;
    this.set = new TrainingSet(config.attributes(), config.dim(), config.splitSeed(), config.heldOutFraction());
    this.joiner = new FeedbackJoiner(set, (s, c, m) -> deadLetterTarget.get().reject(s, c, m),
        config.feedbackGrace());
    this.deadLetters = new KafkaDeadLetters(config.topic("dlq"), config.kafka());
    // Replayed rejections were sent when their records first arrived; only live ones go to the topic.
    this.log = FeedbackLog.open(config.dataDir().resolve("feedback"),
        r -> joiner.onRecord(r, SourceRecord.local("feedback-log"), System.currentTimeMillis()));
    deadLetterTarget.set(deadLetters);
    this.service = new FeedbackService(config, log, joiner, deadLetters);
  }

  public TrainingSet trainingSet() {
    return set;
  }

  /** True once the log is replayed and the consumer has completed a poll. */
  public boolean ready() {
    return polling;
  }

  /** Consumes and retrains until {@link #stop()}; blocks the calling thread. */
  public void run() {
    RetrainTrigger trigger = new RetrainTrigger(config.retrainEveryRecords(), config.retrainEvery(),
        joiner.accepted());
    service.run(() -> {
      polling = true;
      long accepted = joiner.accepted();
      if (trigger.due(accepted, System.currentTimeMillis())) {
        trigger.started(accepted, System.currentTimeMillis());
        String reason = trigger.reason();
        training.submit(() -> {
          try {
            cycle.run(set, reason);
          } catch (RuntimeException e) {
            LOG.error("training run failed; the current version stays published", e);
          } finally {
            trigger.finished();
          }
        });
      }
    });
  }

  public void stop() {
    service.stop();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    training.shutdown();
    training.awaitTermination(10, TimeUnit.MINUTES);
    log.close();
    deadLetters.close();
  }
}
