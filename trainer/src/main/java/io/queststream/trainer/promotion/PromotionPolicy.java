package io.queststream.trainer.promotion;

/**
 * How much a candidate may fall behind the current version on the held-out set and still be published: accuracies
 * (pairwise, Best-of-N) by at most {@code accuracyTolerance}, mean attribute MSE by at most {@code mseTolerance}.
 * Without held-out data a candidate is published only when {@code publishUnevaluated} is set. With
 * {@code beatLengthBaseline}, a candidate must also score strictly above "the longer reply wins" on the held-out
 * pairs and Best-of-N items, whatever the current version does.
 */
public record PromotionPolicy(double accuracyTolerance, double mseTolerance, boolean publishUnevaluated,
    boolean beatLengthBaseline) {

  public static PromotionPolicy defaults() {
    return new PromotionPolicy(0.005, 0.002, false, false);
  }
}
