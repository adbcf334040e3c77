package io.queststream.trainer.gating;

import java.util.Random;

/** Weight (out x in, row-major, as exported) and bias of one linear layer, with their gradients. */
public final class DenseParams {

  final int in;
  final int out;
  final float[] weight;
  final float[] bias;
  final float[] weightGrad;
  final float[] biasGrad;

  public DenseParams(int in, int out, float[] weight, float[] bias) {
    if (weight.length != in * out || bias.length != out) {
      throw new IllegalArgumentException("layer " + in + "->" + out + " got " + weight.length + " weights and "
          + bias.length + " biases");
    }
    this.in = in;
    this.out = out;
    this.weight = weight;
    this.bias = bias;
    this.weightGrad = new float[weight.length];
    this.biasGrad = new float[bias.length];
  }

  /** PyTorch's default nn.Linear initialisation: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias. */
  public static DenseParams initialised(int in, int out, Random rnd) {
    float bound = (float) (1 / Math.sqrt(in));
    float[] w = new float[in * out];
    float[] b = new float[out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (rnd.nextFloat() * 2 - 1) * bound;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (rnd.nextFloat() * 2 - 1) * bound;
    }
    return new DenseParams(in, out, w, b);
  }

  public int in() {
    return in;
  }

  public int out() {
    return out;
  }

  public float[] weight() {
    return weight;
  }

  public float[] bias() {
    return bias;
  }

  public float[] weightGrad() {
    return weightGrad;
  }

  public float[] biasGrad() {
    return biasGrad;
  }

  public DenseParams copy() {
    return new DenseParams(in, out, weight.clone(), bias.clone());
  }
}
