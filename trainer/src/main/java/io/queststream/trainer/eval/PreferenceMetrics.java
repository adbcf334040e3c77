package io.queststream.trainer.eval;

import java.util.List;

/**
 * RMB's definitions (docs/architecture.md#8-evaluation-and-the-promotion-gate): a tie is a wrong answer; accuracies are
 * micro-averaged over items.
 */
public final class PreferenceMetrics {

  /** One Best-of-N item: the best answer's score and every loser's. */
  public record BestOfNItem(double best, double[] losers) {}

  private PreferenceMetrics() {}

  /** Fraction of pairs whose chosen answer scores strictly above the rejected one; NaN for no pairs. */
  public static double pairwiseAccuracy(double[] chosen, double[] rejected) {
    if (chosen.length != rejected.length) {
      throw new IllegalArgumentException("chosen and rejected differ in length");
    }
    if (chosen.length == 0) {
      return Double.NaN;
    }
    int correct = 0;
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i] > rejected[i]) {
        correct++;
      }
    }
    return (double) correct / chosen.length;
  }

  /** Fraction of items whose best answer scores strictly above every loser; NaN for no items. */
  public static double bestOfNAccuracy(List<BestOfNItem> items) {
    if (items.isEmpty()) {
      return Double.NaN;
    }
    int correct = 0;
    for (BestOfNItem item : items) {
      boolean ok = true;
      for (double l : item.losers()) {
        if (!(item.best() > l)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        correct++;
      }
    }
    return (double) correct / items.size();
  }

  public static double meanSquaredError(double[] predicted, double[] actual) {
    if (predicted.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int i = 0; i < predicted.length; i++) {
      double e = predicted[i] - actual[i];
      s += e * e;
    }
    return s / predicted.length;
  }
}
