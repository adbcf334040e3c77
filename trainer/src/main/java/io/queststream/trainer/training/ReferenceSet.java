package io.queststream.trainer.training;

/** Responses the debiasing transform is fit on: embeddings and their length in tokens. */
public record ReferenceSet(float[][] responses, double[] responseTokens) {

  public ReferenceSet {
    if (responses.length != responseTokens.length) {
      throw new IllegalArgumentException("reference responses and lengths differ in count");
    }
  }

  public int size() {
    return responses.length;
  }
}
