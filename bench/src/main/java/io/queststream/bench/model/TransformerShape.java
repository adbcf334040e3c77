package io.queststream.bench.model;

/**
 * The dense arithmetic of one encoder forward pass, for FLOP/s figures. Counted: the Q, K, V and output
 * projections, the two feed-forward matrices, and the attention scores with their weighted sum, each multiply-add
 * as two operations. Not counted: embeddings, layer norms, softmax and activations (a few percent at most).
 */
public record TransformerShape(int layers, int hidden, int feedForward) {

  /** all-MiniLM-L6-v2 (fp32 and int8 alike): 6 layers, width 384, feed-forward 1536 (24 MFLOP/token at 300). */
  public static final TransformerShape MINILM_L6 = new TransformerShape(6, 384, 1536);

  /** bge-small-en-v1.5 and e5-small-v2 (fp32 and int8 alike): 12 layers, width 384, feed-forward 1536. */
  public static final TransformerShape SMALL_L12 = new TransformerShape(12, 384, 1536);

  /** The shape of a backbone by its {@code model} name: MiniLM's six layers, or the 12 of the extra encoders. */
  public static TransformerShape of(String model) {
    return model.startsWith("minilm") ? MINILM_L6 : SMALL_L12;
  }

  /** Operations for one sequence of {@code n} real tokens. */
  public double flops(int n) {
    double projections = 2.0 * n * (4.0 * hidden * hidden + 2.0 * hidden * feedForward);
    double attention = 4.0 * n * n * hidden;
    return layers * (projections + attention);
  }
}
