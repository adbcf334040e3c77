package io.queststream.trainer.cycle;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.eval.HeldOutSet;
import io.queststream.trainer.metrics.TrainerMetrics;
import io.queststream.trainer.metrics.TrainerMetrics.RunOutcome;
import io.queststream.trainer.promotion.PromotionDecision;
import io.queststream.trainer.promotion.PromotionGate;
import io.queststream.trainer.promotion.PromotionMode;
import io.queststream.trainer.publish.HistoryEntry;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsStore;
import io.queststream.trainer.report.RunReport;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.training.HeadsRecords;
import io.queststream.trainer.training.HeadsRefinement;
import io.queststream.trainer.training.HeadsTrainer;
import io.queststream.trainer.training.ReferenceSet;
import io.queststream.trainer.training.TrainedHeads;
import io.queststream.trainer.training.TrainingPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retraining run end to end: train both stages on the training side, evaluate candidate and current version on
 * the held-out side with the inference math, let the gate decide, then publish the next version (or record the
 * rejection with its numbers) and write the run's HTML report.
 */
public final class TrainingCycle {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingCycle.class);

  private final TrainerConfig config;
  private final WeightsStore store;
  private final VersionHistory history;
  private final Path reportDir;
  private final TrainerMetrics meters;

  public TrainingCycle(TrainerConfig config, WeightsStore store, VersionHistory history, Path reportDir) {
    this(config, store, history, reportDir, TrainerMetrics.standalone());
  }

  public TrainingCycle(TrainerConfig config, WeightsStore store, VersionHistory history, Path reportDir,
      TrainerMetrics metrics) {
    this.config = config;
    this.store = store;
    this.history = history;
    this.reportDir = reportDir;
    this.meters = metrics;
  }

  public TrainerMetrics meters() {
    return meters;
  }

  public Optional<RewardHeads> latestPublished() {
    return store.latest();
  }

  /** True while a candidate version is shadowed: no new version is trained until it is promoted or discarded. */
  public boolean candidatePending() {
    return store.candidate().isPresent();
  }

  /**
   * True when the latest published version was trained on exactly this set's turns, ratings and pairs, so a trainer
   * restarting on its stored feedback has nothing new to train on.
   */
  public boolean publishedCovers(TrainingSet set) {
    Map<String, String> now = set.summary();
    return store.latest().map(RewardHeads::getTrainingSummary)
        .map(trained -> now.entrySet().stream().allMatch(e -> e.getValue().equals(trained.get(e.getKey()))))
        .orElse(false);
  }

  /** Trains, evaluates, gates and publishes; counts the run and its outcome in the metrics. */
  public CycleOutcome run(TrainingSet set, String trigger) {
    return run(set, trigger, HeadsRefinement.NONE);
  }

  /** As {@link #run(TrainingSet, String)}, with a refinement stage between training and evaluation. */
  public CycleOutcome run(TrainingSet set, String trigger, HeadsRefinement refinement) {
    long started = System.nanoTime();
    try {
      CycleOutcome outcome = runOnce(set, trigger, refinement);
      meters.trainingRun(outcome.decision().promote() ? RunOutcome.PUBLISHED : RunOutcome.REJECTED,
          Duration.ofNanos(System.nanoTime() - started));
      return outcome;
    } catch (RuntimeException e) {
      meters.trainingRun(RunOutcome.FAILED, Duration.ofNanos(System.nanoTime() - started));
      throw e;
    }
  }

  private CycleOutcome runOnce(TrainingSet set, String trigger, HeadsRefinement refinement) {
    List<TrainingPair> pairs = set.trainingPairs();
    if (pairs.isEmpty()) {
      throw new IllegalStateException("no preference pairs joined yet: nothing to train the gate on");
    }
    LOG.info("training on {} ({})", set.summary(), trigger);
    ReferenceSet reference = set.referenceSet(5000);
    TrainedHeads trained = new HeadsTrainer(config.training()).train(set.ridgeDataset(), pairs, reference);
    HeadsRefinement.Refined refined = refinement.refine(trained, reference);
    TrainedHeads heads = refined.heads();
    Optional<RewardHeads> current = store.latest();
    long currentVersion = current.map(RewardHeads::getVersion).orElse(0L);
    // The store read the committed versions after claiming the transactional id; no other process can commit under
    // this id without fencing this one first, so the number stays free (the store checks it again on publish).
    long next = currentVersion + 1;
    HeldOutSet heldOut = set.heldOut();
    LOG.info("evaluating on held-out data: {} pairs, {} best-of-N sets, {} rated turns", heldOut.pairs().size(),
        heldOut.bestOfN().size(), heldOut.rated().size());
    Map<String, String> summary = summary(set, heads, trigger);
    summary.putAll(refined.summary());
    RewardHeads draft = record(heads, next, current.isPresent() ? currentVersion : null, "promoted", summary,
        Map.of());
    Evaluation candidateEval = HeldOutEvaluator.evaluate(HeadsRecords.weights(draft), heldOut);
    Evaluation currentEval = current.flatMap(this::decodeForThisBackbone)
        .map(w -> HeldOutEvaluator.evaluate(w, heldOut)).orElse(null);
    PromotionDecision decision = new PromotionGate(config.promotion()).decide(candidateEval, currentEval,
        heldOut.isEmpty());
    meters.candidateEvaluated(candidateEval.asMetrics(), currentEval == null ? Map.of() : currentEval.asMetrics());
    Map<String, Double> metrics = metrics(heads, candidateEval);
    long published = 0;
    if (decision.promote()) {
      RewardHeads candidate = record(heads, next, current.isPresent() ? currentVersion : null, "promoted",
          draft.getTrainingSummary(), metrics);
      if (config.promotionMode() == PromotionMode.SHADOW && current.isPresent()) {
        RewardHeads shadowed = store.publishCandidate(candidate);
        List<String> reasons = new ArrayList<>(decision.reasons());
        reasons.add("published as a candidate: serves once its shadow window meets the criteria");
        history.append(new HistoryEntry(next, currentVersion, WeightsContract.STATUS_CANDIDATE,
            System.currentTimeMillis(), metrics, shadowed.getTrainingSummary(), reasons, null));
        LOG.info("published {} v{} as a candidate, shadowed alongside v{} ({})", config.modelName(), next,
            currentVersion, decision.reasons());
        Path report = RunReport.write(reportDir, heads, set.referenceSet(2000), candidateEval, currentEval, decision,
            0, history.entries());
        return new CycleOutcome(heads, shadowed, candidateEval, currentEval, decision, 0, report);
      }
      LOG.info("publishing {} v{}", config.modelName(), next);
      RewardHeads version = store.publish(candidate);
      meters.versionPublished(next);
      String file = history.saveWeights(version);
      history.append(new HistoryEntry(next, version.getParentVersion(), "promoted", System.currentTimeMillis(),
          metrics, version.getTrainingSummary(), decision.reasons(), file));
      published = next;
      LOG.info("published {} v{} ({})", config.modelName(), next, decision.reasons());
    } else {
      history.append(new HistoryEntry(0, current.isPresent() ? currentVersion : null, "rejected",
          System.currentTimeMillis(), metrics, draft.getTrainingSummary(), decision.reasons(), null));
      meters.candidateRejected();
      LOG.warn("candidate rejected against v{}: {}", currentVersion, decision.reasons());
    }
    LOG.info("writing the run report");
    Path report = RunReport.write(reportDir, heads, set.referenceSet(2000), candidateEval, currentEval, decision,
        published, history.entries());
    return new CycleOutcome(heads, draft, candidateEval, currentEval, decision, published, report);
  }

  private Optional<HeadsWeights> decodeForThisBackbone(RewardHeads r) {
    try {
      return Optional.of(HeadsWeights.decode(r, config.dim()));
    } catch (InvalidWeightsException e) {
      LOG.warn("current version cannot be evaluated on this data: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private RewardHeads record(TrainedHeads heads, long version, Long parent, String status, Map<String, String> summary,
      Map<String, Double> metrics) {
    return HeadsRecords.toRecord(heads, new HeadsRecords.Identity(config.modelName(), version, parent, status,
        config.backboneId(), config.pooling(), config.scaleMin(), config.scaleMax()), summary, metrics);
  }

  private static Map<String, String> summary(TrainingSet set, TrainedHeads heads, String trigger) {
    Map<String, String> s = new LinkedHashMap<>(set.summary());
    s.put("trigger", trigger);
    s.put("rating_rows", Long.toString(heads.ratingRows()));
    s.put("training_pairs", Integer.toString(heads.pairs()));
    s.put("gating_steps", Integer.toString(heads.lossCurve().length));
    s.put("verbosity_signal", heads.verbosity().name());
    List<RidgeFit.AttributeFit> fits = heads.ridge().perAttribute();
    for (int a = 0; a < fits.size(); a++) {
      s.put("ridge_alpha." + heads.attributes().get(a), Double.toString(fits.get(a).alpha()));
    }
    return s;
  }

  private static Map<String, Double> metrics(TrainedHeads heads, Evaluation eval) {
    Map<String, Double> m = new LinkedHashMap<>(eval.asMetrics());
    double[] curve = heads.lossCurve();
    if (curve.length > 0) {
      m.put("train.final_loss", curve[curve.length - 1]);
    }
    List<RidgeFit.AttributeFit> fits = heads.ridge().perAttribute();
    for (int a = 0; a < fits.size(); a++) {
      double v = fits.get(a).bestValidationMse();
      if (!Double.isNaN(v)) {
        m.put("ridge.validation_mse." + heads.attributes().get(a), v);
      }
    }
    return m;
  }
}
