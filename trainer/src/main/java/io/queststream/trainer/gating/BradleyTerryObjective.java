package io.queststream.trainer.gating;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Weighted Bradley-Terry loss −log σ(s_chosen − s_rejected) over a batch of pairs, with the score computed exactly as
 * at inference: g = β·softmax(MLP(h_p)/τ), coeffs = g Tᵀ, s = Σ r·coeffs (so s = g · (Tᵀ r)). The batch loss is
 * the weight-normalised mean.
 */
public final class BradleyTerryObjective {

  private final int attributes;
  private final float[] transform;

  /** @param transform T, K x K row-major */
  public BradleyTerryObjective(int attributes, float[] transform) {
    if (transform.length != attributes * attributes) {
      throw new IllegalArgumentException("T must be " + attributes + "x" + attributes);
    }
    this.attributes = attributes;
    this.transform = transform.clone();
  }

  /** u = Tᵀ r: the per-objective reward each gate weight multiplies. */
  float[] transformed(float[] r) {
    float[] u = new float[attributes];
    for (int j = 0; j < attributes; j++) {
      double s = 0;
      for (int i = 0; i < attributes; i++) {
        s += (double) transform[i * attributes + j] * r[i];
      }
      u[j] = (float) s;
    }
    return u;
  }

  /**
   * Forward and backward over the pairs at the given indices; accumulates gradients into the network (call
   * zeroGrad first) and returns the batch loss.
   */
  public double lossAndGradient(GatingNetwork net, PairSet pairs, int[] batch, double dropout, Random dropoutRandom) {
    Map<Integer, Integer> rowOf = new LinkedHashMap<>();
    for (int i : batch) {
      rowOf.putIfAbsent(pairs.chosenPrompt(i), rowOf.size());
      rowOf.putIfAbsent(pairs.rejectedPrompt(i), rowOf.size());
    }
    int dim = net.inputDim();
    int rows = rowOf.size();
    float[] x = new float[rows * dim];
    for (Map.Entry<Integer, Integer> e : rowOf.entrySet()) {
      System.arraycopy(pairs.prompt(e.getKey()), 0, x, e.getValue() * dim, dim);
    }
    GatingNetwork.Trace trace = net.forward(x, rows, dropout, dropoutRandom);
    float tau = net.temperature();
    float beta = net.beta();
    double[][] p = new double[rows][];
    for (int r = 0; r < rows; r++) {
      p[r] = softmax(trace.logits(), r * attributes, attributes, tau);
    }
    double weightSum = 0;
    for (int i : batch) {
      weightSum += pairs.weight(i);
    }
    float[] logitGrad = new float[rows * attributes];
    double loss = 0;
    double betaGrad = 0;
    for (int i : batch) {
      int rc = rowOf.get(pairs.chosenPrompt(i));
      int rr = rowOf.get(pairs.rejectedPrompt(i));
      float[] uc = transformed(pairs.chosenRewards(i));
      float[] ur = transformed(pairs.rejectedRewards(i));
      double mc = dot(p[rc], uc);
      double mr = dot(p[rr], ur);
      double margin = beta * (mc - mr);
      double w = pairs.weight(i) / weightSum;
      loss += w * softplus(-margin);
      double dMargin = -w * sigmoid(-margin);
      betaGrad += dMargin * (mc - mr);
      for (int j = 0; j < attributes; j++) {
        logitGrad[rc * attributes + j] += (float) (dMargin * beta / tau * p[rc][j] * (uc[j] - mc));
        logitGrad[rr * attributes + j] -= (float) (dMargin * beta / tau * p[rr][j] * (ur[j] - mr));
      }
    }
    net.addBetaGrad((float) betaGrad);
    net.backward(trace, logitGrad);
    return loss;
  }

  static double[] softmax(float[] logits, int offset, int k, float tau) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, logits[offset + j] / tau);
    }
    double[] e = new double[k];
    double sum = 0;
    for (int j = 0; j < k; j++) {
      e[j] = Math.exp(logits[offset + j] / tau - max);
      sum += e[j];
    }
    for (int j = 0; j < k; j++) {
      e[j] /= sum;
    }
    return e;
  }

  private static double dot(double[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  public static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  public static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
}
