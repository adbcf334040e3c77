package io.queststream.model.heads;

/**
 * Reference forward pass of the heads in plain Java (the definition the device path and the trainer must match):
 * rewards = W h_r; gating = beta * softmax(MLP(h_p) / tau); coeffs = gating @ T^T; score = sum(rewards * coeffs).
 */
public final class HeadsMath {

  /** Output of the heads for one turn. */
  public record Output(float[] rewards, float[] gating, float[] coefficients, float score) {}

  private HeadsMath() {}

  public static Output forward(HeadsWeights w, float[] prompt, float[] response) {
    float[] rewards = rewards(w, response);
    float[] gating = gating(w, prompt);
    float[] coeffs = coefficients(w, gating);
    return new Output(rewards, gating, coeffs, dot(rewards, coeffs));
  }

  public static float[] rewards(HeadsWeights w, float[] response) {
    return matVec(w.regression(), w.attributeCount(), w.embeddingDim(), response);
  }

  public static float[] gating(HeadsWeights w, float[] prompt) {
    float[] x = prompt;
    for (HeadsWeights.Layer l : w.gating()) {
      float[] y = matVec(l.weight(), l.out(), l.in(), x);
      for (int i = 0; i < y.length; i++) {
        y[i] += l.bias()[i];
        if (l.relu() && y[i] < 0) {
          y[i] = 0;
        }
      }
      x = y;
    }
    return scaledSoftmax(x, w.temperature(), w.logitScale());
  }

  /** beta * softmax(logits / tau), numerically stable. */
  public static float[] scaledSoftmax(float[] logits, float temperature, float beta) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v / temperature);
    }
    double[] e = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] / temperature - max);
      sum += e[i];
    }
    float[] out = new float[logits.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (beta * e[i] / sum);
    }
    return out;
  }

  /** gating @ T^T: coeff_i = sum_j T[i][j] * gating_j. */
  public static float[] coefficients(HeadsWeights w, float[] gating) {
    return matVec(w.transform(), w.attributeCount(), w.attributeCount(), gating);
  }

  static float[] matVec(float[] m, int rows, int cols, float[] x) {
    if (x.length != cols) {
      throw new IllegalArgumentException("vector has " + x.length + " values, matrix expects " + cols);
    }
    float[] y = new float[rows];
    for (int r = 0; r < rows; r++) {
      double s = 0;
      int off = r * cols;
      for (int c = 0; c < cols; c++) {
        s += (double) m[off + c] * x[c];
      }
      y[r] = (float) s;
    }
    return y;
  }

  static float dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return (float) s;
  }
}
