package io.queststream.trainer.cli;

import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.cycle.TrainingCycle;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.feedback.DeadLetters;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.FeedbackLog;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.metrics.TrainerMetrics;
import io.queststream.trainer.publish.HistoryEntry;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.shadow.ShadowJudge;
import io.queststream.trainer.shadow.ShadowReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The pieces every command shares, wired from one configuration. */
final class TrainerContext {

  final TrainerConfig config;
  final VersionHistory history;

  TrainerContext(TrainerConfig config) {
    this.config = config;
    this.history = new VersionHistory(config.dataDir().resolve("history"));
  }

  Path reportDir() {
    return config.dataDir().resolve("reports");
  }

  TrainingSet newTrainingSet() {
    return new TrainingSet(config.attributes(), config.dim(), config.splitSeed(), config.heldOutFraction());
  }

  /**
   * Opens the feedback log and replays it into the joiner. Rejections seen again during replay were already sent to
   * the dead-letter topic when the record first arrived, so replay discards them.
   */
  FeedbackLog openLog(FeedbackJoiner joiner) {
    return FeedbackLog.open(config.dataDir().resolve("feedback"),
        r -> joiner.onRecord(r, SourceRecord.local("feedback-log"), System.currentTimeMillis()));
  }

  FeedbackJoiner joiner(TrainingSet set, DeadLetters deadLetters) {
    return new FeedbackJoiner(set, config.backboneId(), deadLetters, config.feedbackGrace());
  }

  static DeadLetters discard() {
    return (source, cause, message) -> { };
  }

  WeightsPublisher publisher() {
    return new WeightsPublisher(config.topic("weights"), config.trainerId(), config.kafka(), config.serde());
  }

  /**
   * Claims the trainer's transactional id on the weights topic (fencing any other holder) and catches the local
   * history up with what is committed there.
   */
  KafkaWeightsStore store() {
    KafkaWeightsStore store = new KafkaWeightsStore(publisher(), config.modelName(), config.signer());
    history.recordCommitted(store.committed());
    return store;
  }

  /** Judges the shadowed candidate of the store's model by the configured criteria. */
  ShadowJudge judge(KafkaWeightsStore store) {
    return judge(store, TrainerMetrics.standalone());
  }

  ShadowJudge judge(KafkaWeightsStore store, TrainerMetrics metrics) {
    return new ShadowJudge(store, new ShadowReader(config.topic("shadow"), config.kafka(), config.serde()),
        config.shadowCriteria(), history, metrics);
  }

  TrainingCycle cycle(KafkaWeightsStore store) {
    return new TrainingCycle(config, store, history, reportDir());
  }

  TrainingCycle cycle(KafkaWeightsStore store, TrainerMetrics metrics) {
    return new TrainingCycle(config, store, history, reportDir(), metrics);
  }

  /**
   * Publishes existing weights as the next version (manual publish, rollback), signed, and records it.
   *
   * @param parent the version the new one descends from: the current one for a manual publish, the version rolled
   *     back to for a rollback; null for the first version
   */
  long republish(KafkaWeightsStore store, RewardHeads weights, String status, Long parent, List<String> reasons) {
    long next = store.latest().map(RewardHeads::getVersion).orElse(0L) + 1;
    RewardHeads version = store.publish(RewardHeads.newBuilder(weights).setModelName(config.modelName())
        .setVersion(next).setParentVersion(parent).setStatus(status).setCreatedAt(java.time.Instant.now())
        .setSignatureKeyId(null).setSignature(null).build());
    String file = history.saveWeights(version);
    history.append(new HistoryEntry(next, version.getParentVersion(), status, System.currentTimeMillis(),
        Map.copyOf(version.getMetrics()), Map.copyOf(version.getTrainingSummary()), reasons, file));
    return next;
  }
}
