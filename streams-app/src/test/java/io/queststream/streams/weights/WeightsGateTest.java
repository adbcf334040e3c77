package io.queststream.streams.weights;

import static io.queststream.streams.support.Turns.assistant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.model.heads.WeightsCanary;
import io.queststream.model.signing.HeadsSigner;
import io.queststream.model.signing.SigningKeys;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.streams.config.AppConfig;
import io.queststream.config.ConfigException;
import io.queststream.streams.support.HashingScorer;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.TestSigning;
import io.queststream.streams.support.TopologyHarness;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every check a weights record must pass, each with the hostile record that fails it: the exact reason and message,
 * one rejection (one metric increment by reason), and the running version unchanged for the next score.
 */
class WeightsGateTest {

  private static final String MODEL = TestHeads.MODEL_NAME;

  private static RewardHeads unsigned(long version) {
    return TestHeads.unsigned(HashingScorer.BACKBONE_ID, HashingScorer.DIM, version, version);
  }

  private static RewardHeads signed(RewardHeads heads) {
    return TestSigning.SIGNER.sign(heads);
  }

  private static RewardHeads withRegression(RewardHeads base, int index, float value) {
    float[] w = Matrices.values(base.getRegression());
    if (index < 0) {
      Arrays.fill(w, value);
    } else {
      w[index] = value;
    }
    return RewardHeads.newBuilder(base)
        .setRegression(Matrices.of(base.getRegression().getRows(), base.getRegression().getCols(), w)).build();
  }

  /** One app running v1 for every rejection case: each must leave it running v1. */
  private static TopologyHarness running;
  private static int turns;

  @BeforeAll
  static void startAppOnVersionOne() {
    running = TopologyHarness.withWeights(Map.of("batch.max-size", "1"));
  }

  @AfterAll
  static void stopApp() {
    running.close();
  }

  /** Sends the record to the app running v1, then one turn; asserts one rejection and that v1 still scores it. */
  private static void assertRejected(String key, RewardHeads record, Reason reason, String message) {
    TopologyHarness h = running;
    int before = h.rejections.size();
    double reasonBefore = h.metrics.weightsRejections(reason);
    double allBefore = h.metrics.weightsRejections();
    String turn = "a" + ++turns;
    h.weights.pipeInput(key, record);
    h.send(assistant("c-" + turn, turn, "The lantern flickers as she pours the ale.", null));

    assertThat(h.rejections.subList(before, h.rejections.size())).singleElement().satisfies(r -> {
      assertThat(r.reason()).isEqualTo(reason);
      assertThat(r.message()).isEqualTo(message);
      assertThat(r.version()).isEqualTo(record.getVersion());
      assertThat(r.topic()).isEqualTo("reward-weights");
    });
    assertThat(h.metrics.weightsRejections(reason)).isEqualTo(reasonBefore + 1);
    assertThat(h.metrics.weightsRejections()).isEqualTo(allBefore + 1);
    assertThat(h.scores.readValuesToList()).extracting(s -> s.getTurnId() + "@v" + s.getWeightsVersion())
        .containsExactly(turn + "@v1");
    assertThat(h.scorer.currentWeights()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(1));
  }

  @Test
  void givenWeightsNamingAnotherModelThenTheyAreRejectedWhateverTheKey() {
    assertRejected(MODEL, signed(RewardHeads.newBuilder(unsigned(2)).setModelName("evil-model").build()),
        Reason.MODEL_NAME_MISMATCH,
        "weights evil-model v2 (record key 'quest-rm') are not for this app's model 'quest-rm'");
    assertRejected("evil-model", signed(RewardHeads.newBuilder(unsigned(2)).setModelName("evil-model").build()),
        Reason.MODEL_NAME_MISMATCH,
        "weights evil-model v2 (record key 'evil-model') are not for this app's model 'quest-rm'");
  }

  @Test
  void givenALowerOrEqualVersionThenItIsRejectedBecauseVersionsOnlyMoveForward() {
    assertRejected(MODEL, signed(RewardHeads.newBuilder(unsigned(0)).build()), Reason.VERSION_NOT_NEWER,
        "weights quest-rm v0 are not newer than the running v1: versions only move forward (a rollback is "
            + "published as a new version)");
    assertRejected(MODEL, signed(withRegression(unsigned(1), 0, 0.25f)), Reason.VERSION_NOT_NEWER,
        "weights quest-rm v1 are not newer than the running v1: versions only move forward (a rollback is "
            + "published as a new version)");
  }

  @Test
  void givenTheRunningRecordAgainThenNothingHappens() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.publishWeights(1);

      assertThat(h.rejections).isEmpty();
      assertThat(h.scorer.currentWeights()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(1));
    }
  }

  @Test
  void givenARollbackPublishedAsANewVersionCopyingAnOldOneThenItIsInstalled() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.publishWeights(2);
      RewardHeads rollback = signed(RewardHeads.newBuilder(unsigned(1)).setVersion(3).setParentVersion(1L)
          .setStatus("rollback").build());
      h.weights.pipeInput(MODEL, rollback);
      h.send(assistant("c1", "a1", "Back to the old ways.", null));

      assertThat(h.rejections).isEmpty();
      assertThat(h.scores.readValue().getWeightsVersion()).isEqualTo(3);
    }
  }

  @Test
  void givenFiniteButHugeValuesThenTheyAreRejectedAsOutOfBounds() {
    assertRejected(MODEL, signed(withRegression(unsigned(2), 3, 3e38f)), Reason.OUT_OF_BOUNDS,
        "weights quest-rm v2: regression has 3.0E38 at index 3, outside [-10000.0, 10000.0]");
  }

  @Test
  void givenNaNOrInfinityThenTheyAreRejectedAsNonFinite() {
    assertRejected(MODEL, signed(withRegression(unsigned(2), 3, Float.NaN)), Reason.NON_FINITE,
        "weights quest-rm v2: regression has a non-finite value at index 3");
    assertRejected(MODEL, signed(RewardHeads.newBuilder(unsigned(2)).setTemperature(Float.POSITIVE_INFINITY)
        .build()), Reason.NON_FINITE, "weights quest-rm v2: temperature is Infinity");
  }

  @Test
  void givenLogitScaleZeroThenItIsRejectedBecauseEveryTextWouldScoreTheSame() {
    assertRejected(MODEL, signed(RewardHeads.newBuilder(unsigned(2)).setLogitScale(0f).build()),
        Reason.OUT_OF_BOUNDS, "weights quest-rm v2: logit_scale must be > 0 and <= 1000.0, was 0.0 (0 would give "
            + "every text the same score)");
  }

  @Test
  void givenRenamedAttributesThenTheyAreRejectedSoModerationRulesKeepTheirAttributes() {
    List<String> renamed = List.of("Contextual Alignment", "Character Consistency ", "Descriptive Depth",
        "Role-Specific Knowledge", "Engagement and Collaboration", "Creativity and Emotional Nuance");
    assertRejected(MODEL, signed(RewardHeads.newBuilder(unsigned(2)).setAttributeNames(renamed).build()),
        Reason.ATTRIBUTES_MISMATCH, "weights quest-rm v2 have attributes " + renamed + ", this app scores "
            + TestHeads.ATTRIBUTES);
  }

  @Test
  void givenAnUnsignedRecordThenItIsRejected() {
    assertRejected(MODEL, unsigned(2), Reason.UNSIGNED, "weights quest-rm v2 are not signed");
  }

  @Test
  void givenARecordSignedByAnotherKeyThenItIsRejectedAsUntrusted() {
    HeadsSigner intruder = HeadsSigner.of(SigningKeys.generate().getPrivate());
    assertRejected(MODEL, intruder.sign(unsigned(2)), Reason.UNTRUSTED_KEY,
        "weights quest-rm v2 are signed by key " + intruder.keyId() + ", which is not trusted (trusted: "
            + TestSigning.SIGNER.keyId() + ")");
  }

  @Test
  void givenARecordTamperedAfterSigningThenTheSignatureIsBad() {
    RewardHeads tampered = RewardHeads.newBuilder(signed(unsigned(2))).setLogitScale(5f).build();
    assertRejected(MODEL, tampered, Reason.BAD_SIGNATURE,
        "weights quest-rm v2: the signature of key " + TestSigning.SIGNER.keyId() + " does not match the record's "
            + "content");
  }

  @Test
  void givenHeadsWhoseScoresOnTheCanaryTurnsAreHugeOrConstantThenTheCanaryRejectsThem() {
    assertRejected(MODEL, signed(withRegression(unsigned(2), -1, 5_000f)), Reason.CANARY_FAILED,
        "weights quest-rm v2 failed the canary: canary-1 gets reward of Contextual Alignment " + canaryReward(5_000f)
            + ", beyond +-1000.0");
    assertRejected(MODEL, signed(withRegression(unsigned(2), -1, 0f)), Reason.CANARY_FAILED,
        "weights quest-rm v2 failed the canary: all 8 turns score 0.0: the heads do not tell texts apart");
  }

  /** W filled with one value w gives every attribute w times the sum of the response embedding. */
  private static float canaryReward(float w) {
    float[] e = new HashingScorer().embed(WeightsCanary.turns()).get(0).responseEmbedding();
    double sum = 0;
    for (float x : e) {
      sum += (double) w * x;
    }
    return (float) sum;
  }

  @Test
  void givenNoTrustedKeyThenEveryRecordIsRejectedAndNothingScores() {
    try (TopologyHarness h = new TopologyHarness(Map.of("weights.trusted-keys", ""))) {
      h.publishWeights(1);

      assertThat(h.scorer.currentWeights()).isEmpty();
      assertThat(h.rejections).singleElement().satisfies(r -> {
        assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_KEY);
        assertThat(r.message()).isEqualTo("weights quest-rm v1 are signed by key " + TestSigning.SIGNER.keyId()
            + ", which is not trusted (trusted: none configured)");
      });
    }
  }

  @Test
  void givenAModerationRuleForAnAttributeTheWeightsDoNotHaveThenTheConfigurationIsRefused() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("moderation.attribute.character-consistancy.min", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("moderation.attribute.character-consistancy.min names no attribute of weights.attributes; the "
            + "attributes are character-consistency, contextual-alignment, creativity-and-emotional-nuance, "
            + "descriptive-depth, engagement-and-collaboration, role-specific-knowledge");
  }

  @Test
  void givenTrustedKeysThatDoNotParseThenTheConfigurationIsRefusedNamingTheSetting() {
    AppConfig config = AppConfig.from(Map.of("weights.trusted-keys", "not-a-key"));
    assertThatThrownBy(() -> config.weights().keys()).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("weights.trusted-keys: ");
  }
}
