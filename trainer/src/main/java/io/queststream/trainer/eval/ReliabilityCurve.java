package io.queststream.trainer.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Calibration plot data for preference scores: the Bradley-Terry probability σ(s_a − s_b) against how often a was
 * the preferred answer, in equal-width bins. Each pair counts once in each orientation so the curve spans [0,1].
 */
public final class ReliabilityCurve {

  /** One bin: mean predicted probability, observed win rate, pair count. */
  public record Bin(double lower, double upper, double meanPredicted, double observed, int count) {}

  private ReliabilityCurve() {}

  public static List<Bin> of(double[] chosen, double[] rejected, int bins) {
    double[] sumP = new double[bins];
    double[] wins = new double[bins];
    int[] count = new int[bins];
    for (int i = 0; i < chosen.length; i++) {
      double p = 1 / (1 + Math.exp(-(chosen[i] - rejected[i])));
      add(p, 1, bins, sumP, wins, count);
      add(1 - p, 0, bins, sumP, wins, count);
    }
    List<Bin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      out.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b] == 0 ? Double.NaN : sumP[b] / count[b],
          count[b] == 0 ? Double.NaN : wins[b] / count[b], count[b]));
    }
    return out;
  }

  private static void add(double p, int won, int bins, double[] sumP, double[] wins, int[] count) {
    int b = Math.min(bins - 1, (int) (p * bins));
    sumP[b] += p;
    wins[b] += won;
    count[b]++;
  }
}
