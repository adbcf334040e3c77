package io.queststream.trainer.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.publish.HistoryEntry;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsStore;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.support.SyntheticFeedback;
import io.queststream.trainer.training.HeadsRefinement;
import io.queststream.trainer.training.TrainedHeads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCycleTest {

  /** Versions kept in memory: the topic's behaviour is not under test here (see TrainerPublishIT). */
  private static final class MemoryStore implements WeightsStore {
    final List<RewardHeads> published = new ArrayList<>();

    @Override
    public Optional<RewardHeads> latest() {
      return published.isEmpty() ? Optional.empty() : Optional.of(published.get(published.size() - 1));
    }

    @Override
    public RewardHeads publish(RewardHeads heads) {
      published.add(heads);
      return heads;
    }

    RewardHeads candidate;

    @Override
    public RewardHeads publishCandidate(RewardHeads heads) {
      candidate = RewardHeads.newBuilder(heads).setStatus("candidate").build();
      return candidate;
    }

    @Override
    public Optional<RewardHeads> candidate() {
      return Optional.ofNullable(candidate);
    }
  }

  static TrainerConfig smallConfig(Path dir) {
    return TrainerConfig.load(null, Map.of())
        .with("attributes", String.join(",", SyntheticFeedback.ATTRIBUTES))
        .with("backbone.id", "test-backbone").with("backbone.dim", "16").with("gating.hidden", "32")
        .with("gating.steps", "150")
        .with("gating.batch", "32").with("data.dir", dir.toString());
  }

  static TrainingSet joined(TrainerConfig config, int contexts) {
    TrainingSet set = new TrainingSet(config.attributes(), config.dim(), config.splitSeed(),
        config.heldOutFraction());
    FeedbackJoiner joiner = new FeedbackJoiner(set, config.backboneId(), (s, c, m) -> {
      throw new AssertionError("unexpected dead letter " + c + ": " + m);
    }, Duration.ofMinutes(1));
    new SyntheticFeedback(16, 5).records("s", contexts).forEach(r -> joiner.onRecord(r, SourceRecord.local("t"), 0));
    return set;
  }

  @Test
  void publishesTheFirstVersionThenRejectsACandidateThatDoesNotClearTheGate(@TempDir Path dir) throws Exception {
    // given joined synthetic feedback and no published version
    TrainerConfig config = smallConfig(dir);
    TrainingSet set = joined(config, 300);
    MemoryStore store = new MemoryStore();
    VersionHistory history = new VersionHistory(dir.resolve("history"));

    // when the first cycle runs
    CycleOutcome first = new TrainingCycle(config, store, history, dir.resolve("reports")).run(set, "test");

    // then v1 is published with its lineage, metrics and summary, and a report is written
    assertThat(first.publishedVersion()).isEqualTo(1);
    RewardHeads v1 = store.published.get(0);
    assertThat(v1.getVersion()).isEqualTo(1);
    assertThat(v1.getParentVersion()).isNull();
    assertThat(v1.getMetrics()).containsKey("heldout.pairwise_accuracy");
    assertThat(v1.getMetrics().get("heldout.pairwise_accuracy")).isGreaterThan(0.75);
    assertThat(v1.getTrainingSummary()).containsEntry("trigger", "test");
    assertThat(Files.readString(first.report())).contains("<svg").contains("Published as v1");

    // when a second cycle must beat v1 by 50 points to be published
    TrainerConfig strict = config.with("promotion.accuracy.tolerance", "-0.5");
    CycleOutcome second = new TrainingCycle(strict, store, history, dir.resolve("reports")).run(set, "test");

    // then it is recorded as rejected with the numbers, and nothing new is published
    assertThat(second.decision().promote()).isFalse();
    assertThat(store.published).hasSize(1);
    HistoryEntry last = history.entries().get(history.entries().size() - 1);
    assertThat(last.status()).isEqualTo("rejected");
    assertThat(last.parentVersion()).isEqualTo(1L);
    assertThat(last.reasons()).anyMatch(r -> r.contains("pairwise accuracy"));
    assertThat(history.weights(1)).isPresent();
  }

  @Test
  void inShadowModeTheFirstVersionServesAndTheNextOneThatPassesTheGateIsOnlyACandidate(@TempDir Path dir) {
    // given shadow mode and no published version
    TrainerConfig config = smallConfig(dir).with("promotion.mode", "shadow");
    TrainingSet set = joined(config, 300);
    MemoryStore store = new MemoryStore();
    VersionHistory history = new VersionHistory(dir.resolve("history"));
    TrainingCycle cycle = new TrainingCycle(config, store, history, dir.resolve("reports"));

    // when the first cycle runs, there is nothing to shadow against: v1 serves
    assertThat(cycle.run(set, "test").publishedVersion()).isEqualTo(1);
    assertThat(cycle.candidatePending()).isFalse();

    // when the next version passes the held-out gate
    CycleOutcome second = cycle.run(set, "test");

    // then it is published as candidate v2 of parent v1, nothing new serves, and the history says so
    assertThat(second.decision().promote()).isTrue();
    assertThat(second.publishedVersion()).isZero();
    assertThat(store.published).extracting(RewardHeads::getVersion).containsExactly(1L);
    assertThat(store.candidate.getVersion()).isEqualTo(2);
    assertThat(store.candidate.getParentVersion()).isEqualTo(1L);
    assertThat(store.candidate.getStatus()).isEqualTo("candidate");
    assertThat(cycle.candidatePending()).isTrue();
    HistoryEntry last = history.entries().get(history.entries().size() - 1);
    assertThat(last.version()).isEqualTo(2);
    assertThat(last.status()).isEqualTo("candidate");
    assertThat(last.reasons()).contains("published as a candidate: serves once its shadow window meets the criteria");
  }

  @Test
  void aRestartedTrainerKnowsWhetherThePublishedVersionWasTrainedOnItsStoredFeedback(@TempDir Path dir) {
    // given v1 published from 100 contexts of feedback
    TrainerConfig config = smallConfig(dir);
    MemoryStore store = new MemoryStore();
    TrainingCycle cycle = new TrainingCycle(config, store, new VersionHistory(dir.resolve("history")),
        dir.resolve("reports"));
    cycle.run(joined(config, 100), "test");

    // then a trainer that replays the same feedback has nothing new, one that stored more must retrain
    assertThat(cycle.publishedCovers(joined(config, 100))).isTrue();
    assertThat(cycle.publishedCovers(joined(config, 101))).isFalse();
    assertThat(new TrainingCycle(config, new MemoryStore(), new VersionHistory(dir.resolve("empty")),
        dir.resolve("reports")).publishedCovers(joined(config, 100))).isFalse();
  }

  @Test
  void aRefinementStageShapesTheCandidateAndItsSummary(@TempDir Path dir) {
    // given joined synthetic feedback and a refinement that zeroes W and names itself in the summary
    TrainerConfig config = smallConfig(dir);
    TrainingSet set = joined(config, 300);
    HeadsRefinement zeroW = (heads, reference) -> new HeadsRefinement.Refined(new TrainedHeads(heads.attributes(),
        new RidgeFit(heads.ridge().attributes(), heads.ridge().dim(), new float[heads.ridge().weights().length],
            heads.ridge().perAttribute()), heads.transform(), heads.gating(), heads.verbosity(), heads.lossCurve(),
        heads.gatingStepsPerSecond(), heads.ratingRows(), heads.pairs()), Map.of("refinement", "zero-w"));

    // when
    CycleOutcome outcome = new TrainingCycle(config, new MemoryStore(), new VersionHistory(dir.resolve("history")),
        dir.resolve("reports")).run(set, "test", zeroW);

    // then the evaluated and published candidate is the refined one, with the stage's summary entries
    assertThat(Matrices.values(outcome.candidate().getRegression())).containsOnly(0f);
    assertThat(outcome.candidate().getTrainingSummary()).containsEntry("refinement", "zero-w")
        .containsEntry("trigger", "test");
    assertThat(outcome.evaluation().pairwiseAccuracy()).isZero();
  }
}
