package io.queststream.trainer.shadow;

import io.queststream.model.shadow.ShadowCriteria;
import io.queststream.model.shadow.ShadowCriteria.Decision;
import io.queststream.model.shadow.ShadowCriteria.Verdict;
import io.queststream.model.shadow.ShadowWindow;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.metrics.TrainerMetrics;
import io.queststream.trainer.publish.HistoryEntry;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.VersionHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the shadowed candidate on its window and acts on the verdict: promotes it when every criterion holds,
 * discards it with the criteria it broke, waits while the window is short (docs/shadow.md). The decision is a record
 * on the weights topic, so every scorer switches at once; it is recorded in the local history with its reasons.
 */
public final class ShadowJudge {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowJudge.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** What a judgement found and did. */
  public record Judgement(RewardHeads candidate, ShadowWindow.Summary window, Verdict verdict) {}

  private final KafkaWeightsStore store;
  private final ShadowReader reader;
  private final ShadowCriteria criteria;
  private final VersionHistory history;
  private final TrainerMetrics metrics;

  public ShadowJudge(KafkaWeightsStore store, ShadowReader reader, ShadowCriteria criteria, VersionHistory history) {
    this(store, reader, criteria, history, TrainerMetrics.standalone());
  }

  public ShadowJudge(KafkaWeightsStore store, ShadowReader reader, ShadowCriteria criteria, VersionHistory history,
      TrainerMetrics metrics) {
    this.metrics = metrics;
    this.store = store;
    this.reader = reader;
    this.criteria = criteria;
    this.history = history;
  }

  /** The candidate's window and verdict, without acting on it; empty when no candidate is shadowed. */
  public Optional<Judgement> assess() {
    return store.candidate().map(c -> {
      ShadowWindow.Summary summary = reader.window(c, READ_TIMEOUT).summary();
      metrics.shadowJudged(c.getVersion(), summary.overall().turns(), summary.overall().scoreRankCorrelation());
      return new Judgement(c, summary, criteria.judge(summary.overall()));
    });
  }

  /** Assesses the candidate and promotes or discards it as the verdict says; empty when none is shadowed. */
  public Optional<Judgement> decide() {
    Optional<Judgement> j = assess();
    j.ifPresent(this::act);
    return j;
  }

  /** Discards the candidate now, whatever its window says, with the operator's reason. */
  public Optional<RewardHeads> discard(String reason) {
    if (store.candidate().isEmpty()) {
      return Optional.empty();
    }
    List<String> reasons = List.of(reason);
    RewardHeads c = store.discardCandidate(reasons);
    record(c, "discarded", reasons, null);
    metrics.shadowDecided("discarded");
    return Optional.of(c);
  }

  private void act(Judgement j) {
    Verdict v = j.verdict();
    List<String> reasons = new ArrayList<>(v.reasons());
    if (v.decision() == Decision.PROMOTE) {
      RewardHeads serving = store.promoteCandidate(reasons);
      record(serving, "promoted", reasons, history.saveWeights(serving));
      metrics.shadowDecided("promoted");
      metrics.versionPublished(serving.getVersion());
      LOG.info("promoted candidate {} v{} after {} shadowed turns: {}", serving.getModelName(),
          serving.getVersion(), j.window().overall().turns(), reasons);
    } else if (v.decision() == Decision.DISCARD) {
      RewardHeads c = store.discardCandidate(reasons);
      record(c, "discarded", reasons, null);
      metrics.shadowDecided("discarded");
      LOG.warn("discarded candidate {} v{} after {} shadowed turns: {}", c.getModelName(), c.getVersion(),
          j.window().overall().turns(), reasons);
    } else {
      LOG.debug("candidate v{}: {}", j.candidate().getVersion(), reasons);
    }
  }

  private void record(RewardHeads heads, String status, List<String> reasons, String file) {
    history.append(new HistoryEntry(heads.getVersion(), heads.getParentVersion(), status,
        System.currentTimeMillis(), Map.copyOf(heads.getMetrics()), Map.copyOf(heads.getTrainingSummary()), reasons,
        file));
  }
}
