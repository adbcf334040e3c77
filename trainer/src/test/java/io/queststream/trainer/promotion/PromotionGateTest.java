package io.queststream.trainer.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.trainer.eval.Evaluation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

  private static Evaluation eval(int pairs, double pairwise, int bon, double bestOfN, double lengthPairwise,
      double lengthBestOfN) {
    return new Evaluation(pairs, pairwise, bon, bestOfN, Map.of(), Map.of(), List.of(), lengthPairwise,
        lengthBestOfN);
  }

  private static final PromotionGate REQUIRES_BEATING_LENGTH =
      new PromotionGate(new PromotionPolicy(0.005, 0.002, false, true));

  @Test
  void rejectsACandidateThatDoesNotBeatTheLongerReplyBaselineEvenWithNothingPublished() {
    PromotionDecision d = REQUIRES_BEATING_LENGTH.decide(eval(100, 0.62, 10, 0.5, 0.64, 0.4), null, false);

    assertThat(d.promote()).isFalse();
    assertThat(d.reasons()).containsExactly("pairwise accuracy 0.6200 <= longer-reply baseline 0.6400",
        "best-of-n accuracy 0.5000 > longer-reply baseline 0.4000");
  }

  @Test
  void publishesACandidateAboveTheBaselineOnBothAndCountsATieAsNotBeatingIt() {
    PromotionDecision above = REQUIRES_BEATING_LENGTH.decide(eval(100, 0.7, 10, 0.5, 0.64, 0.4), null, false);
    PromotionDecision tie = REQUIRES_BEATING_LENGTH.decide(eval(100, 0.7, 10, 0.4, 0.64, 0.4), null, false);

    assertThat(above.promote()).isTrue();
    assertThat(above.reasons()).containsExactly("pairwise accuracy 0.7000 > longer-reply baseline 0.6400",
        "best-of-n accuracy 0.5000 > longer-reply baseline 0.4000", "no published version to compare with");
    assertThat(tie.promote()).isFalse();
  }

  @Test
  void rejectsWhenThereIsNoHeldOutPreferenceToCompareWithTheBaseline() {
    PromotionDecision d = REQUIRES_BEATING_LENGTH.decide(eval(0, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN),
        null, true);

    assertThat(d.promote()).isFalse();
    assertThat(d.reasons()).containsExactly("no held-out pairs or Best-of-N items to compare with the length baseline");
  }

  @Test
  void withoutTheOptionTheBaselineDoesNotDecide() {
    PromotionDecision d = new PromotionGate(PromotionPolicy.defaults())
        .decide(eval(100, 0.5, 10, 0.1, 0.9, 0.9), null, false);

    assertThat(d.promote()).isTrue();
  }
}
