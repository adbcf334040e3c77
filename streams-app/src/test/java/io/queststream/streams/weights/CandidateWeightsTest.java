package io.queststream.streams.weights;

import static io.queststream.streams.support.Turns.assistant;
import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.streams.support.HashingScorer;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.TopologyHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A candidate weights version (docs/shadow.md) in the topology: verified like serving weights, its status bound to
 * its key, shadowing every turn while installed, withdrawn by a tombstone or by a serving version as new.
 */
class CandidateWeightsTest {

  private static final String MODEL = TestHeads.MODEL_NAME;
  private static final String CANDIDATE_KEY = WeightsContract.candidateKey(MODEL);

  private TopologyHarness h;
  private int turns;

  @BeforeEach
  void startOnVersionOne() {
    h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static RewardHeads heads(long version, String status) {
    RewardHeads r = TestHeads.unsigned(HashingScorer.BACKBONE_ID, HashingScorer.DIM, version, version + 40);
    r.setStatus(status);
    return TestHeads.sign(r);
  }

  private List<String> sendTurns(int n) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "t" + ++turns;
      h.send(assistant("c-" + id, id, "The lantern flickers as she pours the ale number " + turns + ".", null));
      ids.add(id);
    }
    return ids;
  }

  private void assertRefused(String key, RewardHeads record, Reason reason, String message) {
    h.weights.pipeInput(key, record);
    assertThat(h.rejections).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(reason);
      assertThat(r.message()).isEqualTo(message);
    });
    assertThat(h.scorer.currentCandidate()).isEmpty();
    List<String> sent = sendTurns(2);
    assertThat(h.scores.readValuesToList()).extracting(s -> s.getTurnId() + "@v" + s.getWeightsVersion())
        .containsExactly(sent.get(0) + "@v1", sent.get(1) + "@v1");
    assertThat(h.shadow.readValuesToList()).as("a refused candidate shadows nothing").isEmpty();
  }

  @Test
  void aSignedCandidateUnderTheServingKeyIsRefusedAndNeverServes() {
    assertRefused(MODEL, heads(2, "candidate"), Reason.ROLE_MISMATCH, "weights quest-rm v2 have status "
        + "'candidate' under key 'quest-rm': a candidate serves only once it is promoted");
  }

  @Test
  void aServingRecordUnderTheCandidateKeyIsRefused() {
    assertRefused(CANDIDATE_KEY, heads(2, "promoted"), Reason.ROLE_MISMATCH, "candidate weights quest-rm v2 have "
        + "status 'promoted' under key 'candidate:quest-rm': only a record of status 'candidate' is shadowed");
  }

  @Test
  void aCandidateNoNewerThanTheServingVersionIsRefused() {
    assertRefused(CANDIDATE_KEY, heads(1, "candidate"), Reason.VERSION_NOT_NEWER, "candidate weights quest-rm v1 "
        + "are not newer than the running v1: versions only move forward (a rollback is published as a new version)");
  }

  @Test
  void anUnsignedCandidateIsRefused() {
    RewardHeads unsigned = TestHeads.unsigned(HashingScorer.BACKBONE_ID, HashingScorer.DIM, 2, 42);
    unsigned.setStatus("candidate");
    h.weights.pipeInput(CANDIDATE_KEY, unsigned);
    assertThat(h.rejections).extracting(WeightsRejection::reason).containsExactly(Reason.UNSIGNED);
    sendTurns(1);
    assertThat(h.shadow.readValuesToList()).isEmpty();
  }

  @Test
  void aVerifiedCandidateShadowsEveryTurnUntilAServingVersionAsNewReplacesIt() {
    h.weights.pipeInput(CANDIDATE_KEY, heads(2, "candidate"));
    assertThat(h.metrics.candidateVersion()).isEqualTo(2);
    List<String> shadowed = sendTurns(3);
    List<TurnScore> scores = h.scores.readValuesToList();
    List<ShadowScore> shadow = h.shadow.readValuesToList();
    assertThat(shadow).extracting(ShadowScore::getTurnId).containsExactlyElementsOf(shadowed);
    for (int i = 0; i < shadow.size(); i++) {
      ShadowScore s = shadow.get(i);
      assertThat(s.getServingVersion()).isEqualTo(1);
      assertThat(s.getCandidateVersion()).isEqualTo(2);
      assertThat(s.getServingScore()).isEqualTo(scores.get(i).getScore());
      assertThat(s.getCandidateScore()).isNotEqualTo(s.getServingScore());
      assertThat(s.getCandidateAttributes()).extracting(a -> a.getAttribute())
          .containsExactlyElementsOf(TestHeads.ATTRIBUTES);
    }
    assertThat(h.metrics.shadowScores()).isEqualTo(3);

    h.weights.pipeInput(MODEL, heads(2, "promoted"));
    assertThat(h.scorer.currentCandidate()).isEmpty();
    assertThat(h.metrics.candidateVersion()).isEqualTo(-1);
    List<String> served = sendTurns(2);
    assertThat(h.scores.readValuesToList()).extracting(s -> s.getTurnId() + "@v" + s.getWeightsVersion())
        .containsExactly(served.get(0) + "@v2", served.get(1) + "@v2");
    assertThat(h.shadow.readValuesToList()).isEmpty();
    assertThat(h.rejections).isEmpty();
  }

  @Test
  void aTombstoneUnderTheCandidateKeyWithdrawsTheCandidateAndLeavesTheServingVersion() {
    h.weights.pipeInput(CANDIDATE_KEY, heads(2, "candidate"));
    assertThat(sendTurns(1)).hasSize(1);
    assertThat(h.shadow.readValuesToList()).hasSize(1);

    h.weights.pipeInput(CANDIDATE_KEY, (RewardHeads) null);
    assertThat(h.scorer.currentCandidate()).isEmpty();
    List<String> after = sendTurns(2);
    assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId)
        .containsExactly("t1", after.get(0), after.get(1));
    assertThat(h.shadow.readValuesToList()).isEmpty();
    assertThat(h.scorer.currentWeights().orElseThrow().version()).isEqualTo(1);

    h.weights.pipeInput(MODEL, (RewardHeads) null);
    assertThat(h.scorer.currentWeights().orElseThrow().version()).as("a serving tombstone changes nothing")
        .isEqualTo(1);
  }
}
