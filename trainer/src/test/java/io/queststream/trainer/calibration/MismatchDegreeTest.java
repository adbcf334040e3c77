package io.queststream.trainer.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MismatchDegreeTest {

  @Test
  void expectedWinRateFollowsTheEloFormula() {
    // given O rated 400 points above R: P = 1 / (1 + 10^-1)
    assertThat(MismatchDegree.expectedWinRate(1400, 1000)).isCloseTo(1 / 1.1, within(1e-12));
    assertThat(MismatchDegree.expectedWinRate(1000, 1000)).isEqualTo(0.5);
  }

  @Test
  void mismatchDegreeOfAnOvervaluedModel() {
    // given O wins 4 of 5 prompts (one tie counts as a loss) while Elo expects P = 0.5
    double[] o = {2, 2, 2, 2, 1};
    double[] r = {1, 1, 1, 1, 1};

    // then MD = (0.8 - 0.5) / 0.5
    assertThat(MismatchDegree.of(o, r, 0.5)).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void bisectionFindsTheOffsetThatMatchesTheExpectedWinRate() {
    // given score gaps s_O - s_R of -2, -1, 0.5, 1, 3 and P = 0.4
    double[] o = {0, 0, 0.5, 1, 3};
    double[] r = {2, 1, 0, 0, 0};

    // when
    double delta = MismatchDegree.offset(o, r, 0.4);

    // then O wins exactly 2 of 5 for delta in (-1, -0.5]: the midpoint keeps clear of both ties
    assertThat(MismatchDegree.winRate(o, r, delta)).isEqualTo(0.4);
    assertThat(delta).isCloseTo(-0.75, within(1e-6));
  }
}
