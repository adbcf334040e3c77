package io.queststream.trainer.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationObjectiveTest {

  private static final int K = 3;
  private static final int D = 5;

  @Test
  void analyticGradientMatchesFiniteDifferences() {
    // given random coefficients, responses and unequal weights, a W away from its anchor, a prior batch with repeats
    Random rnd = new Random(3);
    int n = 6;
    float[][] cc = new float[n][];
    float[][] hc = new float[n][];
    float[][] cr = new float[n][];
    float[][] hr = new float[n][];
    float[] weights = new float[n];
    for (int i = 0; i < n; i++) {
      cc[i] = gaussian(rnd, K);
      hc[i] = gaussian(rnd, D);
      cr[i] = gaussian(rnd, K);
      hr[i] = gaussian(rnd, D);
      weights[i] = 0.5f + i;
    }
    float[][] prior = {gaussian(rnd, D), gaussian(rnd, D), gaussian(rnd, D), gaussian(rnd, D)};
    float[] anchor = gaussian(rnd, K * D);
    CalibrationObjective objective = new CalibrationObjective(K, D, anchor, 0.7,
        new CalibrationObjective.Pairs(cc, hc, cr, hr, weights), prior);
    float[] w = gaussian(rnd, K * D);
    int[] pairBatch = {0, 1, 2, 3, 4, 5, 2};
    int[] priorBatch = {0, 1, 3, 3};

    // when
    float[] grad = new float[w.length];
    objective.lossAndGradient(w, pairBatch, priorBatch, grad);

    // then every entry of dLoss/dW agrees with a central difference
    double h = 1e-2;
    for (int i = 0; i < w.length; i++) {
      float saved = w[i];
      w[i] = (float) (saved + h);
      double up = objective.lossAndGradient(w, pairBatch, priorBatch, new float[w.length]);
      w[i] = (float) (saved - h);
      double down = objective.lossAndGradient(w, pairBatch, priorBatch, new float[w.length]);
      w[i] = saved;
      double numeric = (up - down) / (2 * h);
      assertThat((double) grad[i]).as("dLoss/dW[%d]", i).isCloseTo(numeric, within(1e-4 + 1e-3 * Math.abs(numeric)));
    }
  }

  @Test
  void priorVanishesAtTheAnchorAndScoresFollowTheInferenceFormula() {
    // given W = anchor, coefficients c and a response h
    float[] anchor = {1, 2, 0, 0, 0, /* row 2 */ 0, 0, 3, 0, 0, /* row 3 */ 0, 0, 0, 0, 1};
    float[] c = {0.5f, 0.25f, 0.25f};
    float[] h = {1, 1, 1, 0, 2};
    CalibrationObjective objective = new CalibrationObjective(K, D, anchor, 1.0,
        new CalibrationObjective.Pairs(new float[][] {c}, new float[][] {h}, new float[][] {c}, new float[][] {h},
            new float[] {1}), new float[][] {h});

    // when
    float[] start = objective.anchor();

    // then s = Σ c_k (W h)_k = 0.5·3 + 0.25·3 + 0.25·2, the prior is 0 at the anchor, and a tie costs log 2
    assertThat(objective.score(start, c, h)).isCloseTo(2.75, within(1e-9));
    assertThat(objective.priorShift(start, new int[] {0}, null)).isZero();
    assertThat(objective.pairLoss(start, new int[] {0}, null)).isCloseTo(Math.log(2), within(1e-12));
  }

  @Test
  void pairScaleMakesStretchingTheAnchorStationary() {
    // given pairs that the anchor orders mostly, not perfectly, right
    Random rnd = new Random(9);
    int n = 200;
    float[][] c = new float[n][];
    float[][] hc = new float[n][];
    float[][] hr = new float[n][];
    float[] anchor = gaussian(rnd, K * D);
    for (int i = 0; i < n; i++) {
      c[i] = new float[] {0.4f, 0.3f, 0.3f};
      float[] a = gaussian(rnd, D);
      float[] b = gaussian(rnd, D);
      CalibrationObjective probe = new CalibrationObjective(K, D, anchor, 0, new CalibrationObjective.Pairs(
          new float[][] {c[i]}, new float[][] {a}, new float[][] {c[i]}, new float[][] {b}, new float[] {1}),
          new float[0][]);
      boolean aWins = (probe.score(anchor, c[i], a) - probe.score(anchor, c[i], b)) + rnd.nextGaussian() > 0;
      hc[i] = aWins ? a : b;
      hr[i] = aWins ? b : a;
    }
    float[] weights = new float[n];
    java.util.Arrays.fill(weights, 1f);
    CalibrationObjective objective = new CalibrationObjective(K, D, anchor, 0,
        new CalibrationObjective.Pairs(c, hc, c, hr, weights), new float[0][]);
    int[] all = java.util.stream.IntStream.range(0, n).toArray();

    // when W is stretched by ±1% around the anchor
    double up = objective.pairLoss(scaled(anchor, 1.01f), all, null);
    double down = objective.pairLoss(scaled(anchor, 0.99f), all, null);
    double at = objective.pairLoss(anchor, all, null);

    // then the anchor is the minimum along that direction, and the loss is below log 2 (a real fit)
    assertThat(at).isLessThanOrEqualTo(up).isLessThanOrEqualTo(down + 1e-6).isLessThan(Math.log(2));
    assertThat(Math.abs(up - down) / 0.02).isLessThan(1e-4);
  }

  private static float[] scaled(float[] v, float f) {
    float[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= f;
    }
    return out;
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }
}
