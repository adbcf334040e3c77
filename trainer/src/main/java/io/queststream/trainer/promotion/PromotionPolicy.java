package io.queststream.trainer.promotion;

/**
 * How much a candidate may fall behind the current version on the held-out set and still be published: accuracies
 * (pairwise, Best-of-N) by at most {@code accuracyTolerance}, mean attribute MSE by at most {@code mseTolerance}.
 * Without held-out data a candidate is published only when {@code publishUnevaluated} is set.
 */
public record PromotionPolicy(double accuracyTolerance, double mseTolerance, boolean publishUnevaluated) {

  public static PromotionPolicy defaults() {
    return new PromotionPolicy(0.005, 0.002, false);
  }
}
