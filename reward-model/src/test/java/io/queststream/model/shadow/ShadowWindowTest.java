package io.queststream.model.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.shadow.ShadowCriteria.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowWindowTest {

  private static final List<String> ONE = List.of("Creativity");

  /**
   * Four turns: the candidate doubles the attribute (correlation 1, mean shift 2.5), swaps the scores of turns 1/2
   * and 3/4 (Spearman 1 - 6*4/(4*15) = 0.6) and would flag turns 1 and 4 as well as turn 3.
   */
  private static ShadowWindow window() {
    ShadowWindow w = new ShadowWindow(7);
    w.add(pair("t1", "c1", "m1", 1, 2, 0.1, 0.2, false, true));
    w.add(pair("t2", "c1", null, 2, 4, 0.2, 0.1, false, false));
    w.add(pair("t3", "c2", "m1", 3, 6, 0.3, 0.4, true, true));
    w.add(pair("t4", "c2", null, 4, 8, 0.4, 0.3, false, true));
    return w;
  }

  private static ShadowPair pair(String turn, String character, String policy, double serving, double candidate,
      double servingScore, double candidateScore, boolean servingFlagged, boolean candidateFlagged) {
    return new ShadowPair(turn, character, policy, ONE, new double[] {serving}, new double[] {candidate},
        servingScore, candidateScore, servingFlagged, candidateFlagged);
  }

  @Test
  void aggregatesCorrelationShiftRankCorrelationAndFlipsOverTheWindow() {
    ShadowWindow.Summary s = window().summary();
    Agreement all = s.overall();
    assertThat(s.candidateVersion()).isEqualTo(7);
    assertThat(all.turns()).isEqualTo(4);
    assertThat(all.attributes()).singleElement().satisfies(a -> {
      assertThat(a.attribute()).isEqualTo("Creativity");
      assertThat(a.correlation()).isCloseTo(1.0, within(1e-12));
      assertThat(a.meanShift()).isCloseTo(2.5, within(1e-12));
    });
    assertThat(all.scoreRankCorrelation()).isCloseTo(0.6, within(1e-12));
    assertThat(all.scoreMeanShift()).isCloseTo(0.0, within(1e-12));
    assertThat(all.flips()).isEqualTo(2);
    assertThat(all.newlyFlagged()).isEqualTo(2);
    assertThat(all.flipRate()).isEqualTo(0.5);
  }

  @Test
  void breaksTheWindowDownPerCharacterAndPerPolicyModel() {
    ShadowWindow.Summary s = window().summary();
    assertThat(s.byCharacter()).containsOnlyKeys("c1", "c2");
    Agreement c1 = s.byCharacter().get("c1");
    assertThat(c1.turns()).isEqualTo(2);
    assertThat(c1.attributes().get(0).meanShift()).isCloseTo(1.5, within(1e-12));
    assertThat(c1.scoreRankCorrelation()).isCloseTo(-1.0, within(1e-12));
    assertThat(c1.flips()).isEqualTo(1);
    assertThat(s.byCharacter().get("c2").attributes().get(0).meanShift()).isCloseTo(3.5, within(1e-12));
    assertThat(s.byPolicyModel()).containsOnlyKeys("m1", ShadowWindow.NONE);
    assertThat(s.byPolicyModel().get("m1").flips()).isEqualTo(1);
    assertThat(s.byPolicyModel().get(ShadowWindow.NONE).flips()).isEqualTo(1);
    assertThat(s.byPolicyModel().get(ShadowWindow.NONE).newlyFlagged()).isEqualTo(1);
  }

  @Test
  void promotesWhenEveryCriterionHoldsAtItsLimit() {
    ShadowCriteria.Verdict v = new ShadowCriteria(4, 0.6, 0.5, 2.5).judge(window().summary().overall());
    assertThat(v.decision()).isEqualTo(Decision.PROMOTE);
    assertThat(v.reasons()).containsExactly(
        "score rank correlation 0.6000 (min 0.6000)",
        "flip rate 0.5000: 2 of 4 moderation decisions (max 0.5000)",
        "largest attribute mean shift 2.5000 (max 2.5000)");
  }

  @Test
  void discardsWithEveryCriterionItBreaks() {
    ShadowCriteria.Verdict v = new ShadowCriteria(4, 0.61, 0.25, 2.0).judge(window().summary().overall());
    assertThat(v.decision()).isEqualTo(Decision.DISCARD);
    assertThat(v.reasons()).containsExactly(
        "score rank correlation 0.6000 (min 0.6100)",
        "flip rate 0.5000: 2 of 4 moderation decisions (max 0.2500)",
        "Creativity mean shift +2.5000 (max 2.0000)");
  }

  @Test
  void waitsUntilTheWindowHoldsTheMinimumTurns() {
    ShadowCriteria.Verdict v = new ShadowCriteria(5, 0.0, 1.0, 10).judge(window().summary().overall());
    assertThat(v.decision()).isEqualTo(Decision.WAIT);
    assertThat(v.reasons()).containsExactly("4 of 5 turns shadowed");
  }

  @Test
  void aConstantScoreHasNoRankCorrelationAndIsDiscarded() {
    ShadowWindow w = new ShadowWindow(2);
    w.add(pair("t1", "c1", "m1", 1, 1, 0.5, 0.1, false, false));
    w.add(pair("t2", "c1", "m1", 2, 2, 0.5, 0.2, false, false));
    Agreement all = w.summary().overall();
    assertThat(all.scoreRankCorrelation()).isNaN();
    ShadowCriteria.Verdict v = new ShadowCriteria(2, -1.0, 0, 1).judge(all);
    assertThat(v.decision()).isEqualTo(Decision.DISCARD);
    assertThat(v.reasons()).containsExactly("score rank correlation NaN (min -1.0000)");
  }

  @Test
  void tiedValuesShareTheirAverageRank() {
    assertThat(Correlation.ranks(new double[] {3, 1, 3, 2})).containsExactly(3.5, 1, 3.5, 2);
  }
}
