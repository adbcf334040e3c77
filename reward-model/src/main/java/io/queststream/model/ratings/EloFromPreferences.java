package io.queststream.model.ratings;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elo-scale ratings of policy models from the platform's own preferences between their answers: the Bradley-Terry
 * maximum-likelihood strengths (minorisation-maximisation, Hunter 2004) mapped to Elo as 400·log10(strength),
 * centred on 1000. A pseudo-count of half a win against every other model keeps strengths finite.
 *
 * <p>Shared by the trainer (CHARM calibration references) and the streams app (live policy ratings). The fit uses
 * only the summed weight of each ordered (winner, loser) pair, so one outcome per pair carrying the pair's total
 * weight gives the same ratings as the individual outcomes.
 */
public final class EloFromPreferences {

  /** One preference between answers by two different models. */
  public record Outcome(String winner, String loser, double weight) {}

  private EloFromPreferences() {}

  public static Map<String, Double> fit(List<Outcome> outcomes) {
    Set<String> models = new LinkedHashSet<>();
    for (Outcome o : outcomes) {
      models.add(o.winner());
      models.add(o.loser());
    }
    List<String> m = List.copyOf(models);
    int n = m.size();
    double[][] wins = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i != j) {
          wins[i][j] = 0.5;
        }
      }
    }
    for (Outcome o : outcomes) {
      wins[m.indexOf(o.winner())][m.indexOf(o.loser())] += o.weight();
    }
    double[] p = new double[n];
    java.util.Arrays.fill(p, 1);
    for (int iter = 0; iter < 500; iter++) {
      double[] next = new double[n];
      double logSum = 0;
      for (int i = 0; i < n; i++) {
        double w = 0;
        double denom = 0;
        for (int j = 0; j < n; j++) {
          if (i != j) {
            w += wins[i][j];
            denom += (wins[i][j] + wins[j][i]) / (p[i] + p[j]);
          }
        }
        next[i] = w / denom;
        logSum += Math.log(next[i]);
      }
      double scale = Math.exp(logSum / n);
      for (int i = 0; i < n; i++) {
        p[i] = next[i] / scale;
      }
    }
    Map<String, Double> elo = new HashMap<>();
    for (int i = 0; i < n; i++) {
      elo.put(m.get(i), 1000 + 400 * Math.log10(p[i]));
    }
    return elo;
  }
}
