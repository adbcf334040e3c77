package io.queststream.trainer.calibration;

/**
 * CHARM's calibration math (docs/architecture.md#9-calibration-against-arena-ratings) for a policy model O against a
 * reference R on shared prompts, given the reward model's scores of both answers to each prompt.
 */
public final class MismatchDegree {

  private MismatchDegree() {}

  /** P(O beats R) from Elo ratings: 1 / (1 + 10^((Elo_R − Elo_O)/400)). */
  public static double expectedWinRate(double eloO, double eloR) {
    return 1 / (1 + Math.pow(10, (eloR - eloO) / 400));
  }

  /** Fraction of prompts where O's answer scores strictly above R's after adding {@code offset} to O's scores. */
  public static double winRate(double[] scoresO, double[] scoresR, double offset) {
    int wins = 0;
    for (int i = 0; i < scoresO.length; i++) {
      if (scoresO[i] + offset > scoresR[i]) {
        wins++;
      }
    }
    return (double) wins / scoresO.length;
  }

  /** MD = (mean 1[s_O > s_R] − P) / max(P, 1 − P); positive means the reward model overvalues O. */
  public static double of(double[] scoresO, double[] scoresR, double expected) {
    return (winRate(scoresO, scoresR, 0) - expected) / Math.max(expected, 1 - expected);
  }

  /**
   * The offset Δ, found by bisection, at which O's win rate over R equals P. The win rate is a non-decreasing step
   * function of Δ, so the Δ that reach P exactly form an interval; its midpoint keeps every relabelled pair away from
   * a tie. When no Δ hits P exactly (P falls inside a step), the smallest Δ with win rate ≥ P is used.
   */
  public static double offset(double[] scoresO, double[] scoresR, double expected) {
    double span = 0;
    for (int i = 0; i < scoresO.length; i++) {
      span = Math.max(span, Math.abs(scoresO[i] - scoresR[i]));
    }
    double first = bisect(scoresO, scoresR, span, d -> winRate(scoresO, scoresR, d) >= expected);
    double pastLast = bisect(scoresO, scoresR, span, d -> winRate(scoresO, scoresR, d) > expected);
    return pastLast > first && winRate(scoresO, scoresR, first) == expected ? (first + pastLast) / 2 : first;
  }

  /** Smallest Δ in [−span−1, span+1] where a monotone condition becomes true. */
  private static double bisect(double[] scoresO, double[] scoresR, double span,
      java.util.function.DoublePredicate holds) {
    double lo = -span - 1;
    double hi = span + 1;
    for (int iter = 0; iter < 200 && hi - lo > 1e-9 * (span + 1); iter++) {
      double mid = (lo + hi) / 2;
      if (holds.test(mid)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }
}
