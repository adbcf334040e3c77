package io.queststream.trainer.eval;

import java.util.List;

/** Data the promotion gate compares versions on; never used for training. */
public record HeldOutSet(List<Pair> pairs, List<BestOfN> bestOfN, List<Rated> rated) {

  /** A preference with both sides' prompt and response embeddings and reply lengths in tokens. */
  public record Pair(float[] chosenPrompt, float[] chosenResponse, float[] rejectedPrompt, float[] rejectedResponse,
      int chosenTokens, int rejectedTokens) {}

  /** N answers to one prompt, the best known, with reply lengths in tokens (best first). */
  public record BestOfN(float[] prompt, float[] best, List<float[]> losers, int[] tokensBestFirst) {}

  /** A rated response: labels on [0,1], NaN where the attribute is not rated. */
  public record Rated(float[] response, double[] labels) {}

  public boolean isEmpty() {
    return pairs.isEmpty() && bestOfN.isEmpty() && rated.isEmpty();
  }
}
