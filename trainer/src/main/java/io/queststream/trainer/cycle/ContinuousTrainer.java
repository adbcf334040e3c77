package io.queststream.trainer.cycle;

import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.feedback.DeadLetters;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.FeedbackLog;
import io.queststream.trainer.feedback.FeedbackService;
import io.queststream.trainer.feedback.KafkaDeadLetters;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.metrics.TrainerMetrics;
import io.queststream.trainer.publish.PublisherFencedException;
import io.queststream.trainer.shadow.ShadowJudge;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous mode: replays the feedback log, then consumes feedback and runs a training cycle on a background thread
 * whenever the retrain trigger fires (one run at a time; a failed run leaves the current version published). When
 * another trainer has taken over the transactional id, it stops and {@link #run()} throws the fencing error.
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
  private final AtomicReference<PublisherFencedException> fenced = new AtomicReference<>();
  private final Optional<ShadowJudge> judge;
  private volatile boolean polling;
  private volatile long nextShadowCheckMs;

  public ContinuousTrainer(TrainerConfig config, TrainingCycle cycle) {
    this(config, cycle, Optional.empty());
  }

  /**
   * @param judge judges the shadowed candidate every shadow.check.every (promotion.mode=shadow); while a candidate is
   *     shadowed no new version is trained
   */
  public ContinuousTrainer(TrainerConfig config, TrainingCycle cycle, Optional<ShadowJudge> judge) {
    this.judge = judge;
    this.config = config;
    this.cycle = cycle;
    TrainerMetrics metrics = cycle.meters();
    this.set = new TrainingSet(config.attributes(), config.dim(), config.splitSeed(), config.heldOutFraction());
    this.joiner = new FeedbackJoiner(set, config.backboneId(), (s, c, m) -> deadLetterTarget.get().reject(s, c, m),
        config.feedbackGrace());
    this.deadLetters = new KafkaDeadLetters(config.topic("dlq"), config.trainerId() + "-feedback", config.kafka(),
        metrics.counting((s, c, m) -> { }));
    // Replayed rejections were sent when their records first arrived; only live ones go to the topic.
    this.log = FeedbackLog.open(config.dataDir().resolve("feedback"), joiner::settled,
        r -> joiner.onRecord(r, SourceRecord.local("feedback-log"), System.currentTimeMillis()));
    LOG.info("replayed {} joined feedback records from {}: {}", joiner.accepted(), config.dataDir(), set.summary());
    deadLetterTarget.set(deadLetters.records());
    metrics.watchJoiner(joiner::accepted, joiner::pendingCount);
    metrics.versionInForce(cycle.latestPublished().map(RewardHeads::getVersion).orElse(-1L));
    this.service = new FeedbackService(config, log, joiner, deadLetters, metrics);
  }

  public TrainingSet trainingSet() {
    return set;
  }

  /**
   * Why the trainer is not ready: the log is still being replayed or the consumer has not completed a poll, or
   * feedback waits for a failing dependency. Empty when ready.
   */
  public List<String> notReadyReasons() {
    List<String> reasons = new ArrayList<>();
    if (!polling) {
      reasons.add("starting: replaying the feedback log and joining the consumer group");
    }
    service.waitingReason().ifPresent(reasons::add);
    return reasons;
  }

  /**
   * Consumes and retrains until {@link #stop()}; blocks the calling thread. Feedback replayed from the log that the
   * published version was not trained on (a crash between storing feedback and publishing) counts as new.
   *
   * @throws PublisherFencedException when another trainer took over publishing
   */
  public void run() {
    long trainedOn = cycle.publishedCovers(set) ? joiner.accepted() : 0;
    RetrainTrigger trigger = new RetrainTrigger(config.retrainEveryRecords(), config.retrainEvery(), trainedOn);
    service.run(() -> {
      polling = true;
      long accepted = joiner.accepted();
      judge.ifPresent(this::judgeWhenDue);
      if (trigger.due(accepted, System.currentTimeMillis()) && !candidatePending()) {
        trigger.started(accepted, System.currentTimeMillis());
        String reason = trigger.reason();
        training.submit(() -> {
          try {
            cycle.run(set, reason);
          } catch (PublisherFencedException e) {
            LOG.error("{}", e.getMessage());
            fenced.set(e);
            stop();
          } catch (RuntimeException e) {
            LOG.error("training run failed; the current version stays published", e);
          } finally {
            trigger.finished();
          }
        });
      }
    });
    PublisherFencedException e = fenced.get();
    if (e != null) {
      throw e;
    }
  }

  private boolean candidatePending() {
    try {
      return judge.isPresent() && cycle.candidatePending();
    } catch (RuntimeException e) {
      LOG.warn("could not tell whether a candidate is shadowed; not training now: {}", e.getMessage());
      return true;
    }
  }

  /** Judges the candidate on the training thread (after any run in progress) once per shadow.check.every. */
  private void judgeWhenDue(ShadowJudge j) {
    long now = System.currentTimeMillis();
    if (now < nextShadowCheckMs) {
      return;
    }
    nextShadowCheckMs = now + config.shadowCheckEvery().toMillis();
    training.submit(() -> {
      try {
        j.decide();
      } catch (PublisherFencedException e) {
        LOG.error("{}", e.getMessage());
        fenced.set(e);
        stop();
      } catch (RuntimeException e) {
        LOG.error("judging the shadowed candidate failed; it stays shadowed", e);
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
