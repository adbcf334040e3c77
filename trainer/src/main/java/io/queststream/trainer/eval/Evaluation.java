package io.queststream.trainer.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out results of one weights version, with the "longer reply wins" baseline (in tokens, ties wrong) on the same
 * pairs and Best-of-N items.
 */
public record Evaluation(int pairs, double pairwiseAccuracy, int bestOfNItems, double bestOfNAccuracy,
    Map<String, Double> attributeMse, Map<String, Double> attributeSpearman, List<ReliabilityCurve.Bin> reliability,
    double lengthBaselinePairwise, double lengthBaselineBestOfN) {

  /** Flat metric names as carried in the weights record's metrics map (NaN values left out). */
  public Map<String, Double> asMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    put(m, "heldout.pairs", pairs);
    put(m, "heldout.pairwise_accuracy", pairwiseAccuracy);
    put(m, "heldout.bon_items", bestOfNItems);
    put(m, "heldout.bon_accuracy", bestOfNAccuracy);
    put(m, "heldout.length_baseline.pairwise_accuracy", lengthBaselinePairwise);
    put(m, "heldout.length_baseline.bon_accuracy", lengthBaselineBestOfN);
    attributeMse.forEach((a, v) -> put(m, "heldout.mse." + a, v));
    attributeSpearman.forEach((a, v) -> put(m, "heldout.spearman." + a, v));
    return m;
  }

  private static void put(Map<String, Double> m, String k, double v) {
    if (!Double.isNaN(v)) {
      m.put(k, v);
    }
  }
}
