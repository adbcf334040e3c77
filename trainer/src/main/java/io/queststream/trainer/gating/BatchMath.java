package io.queststream.trainer.gating;

import java.util.stream.IntStream;

/**
 * Dense batch kernels for the gating MLP, written as row-wise axpy loops (which the JIT vectorises, unlike float
 * dot-product reductions) and split across cores when the batch is large enough to pay for it.
 */
final class BatchMath {

  private static final long PARALLEL_WORK = 1L << 16;

  private BatchMath() {}

  /** Y (rows x out) = A (rows x in) Wᵀ + b, where wt is W transposed (in x out). */
  static float[] affine(float[] a, int rows, int in, float[] wt, float[] bias, int out) {
    float[] y = new float[rows * out];
    range(rows, (long) rows * in * out).forEach(r -> {
      int yo = r * out;
      System.arraycopy(bias, 0, y, yo, out);
      int ao = r * in;
      for (int k = 0; k < in; k++) {
        float v = a[ao + k];
        if (v != 0f) {
          int wo = k * out;
          for (int o = 0; o < out; o++) {
            y[yo + o] += v * wt[wo + o];
          }
        }
      }
    });
    return y;
  }

  /** dA (rows x in) = dY (rows x out) W, with W out x in. */
  static float[] inputGrad(float[] dy, int rows, int out, float[] w, int in) {
    float[] da = new float[rows * in];
    range(rows, (long) rows * in * out).forEach(r -> {
      int dao = r * in;
      int dyo = r * out;
      for (int o = 0; o < out; o++) {
        float g = dy[dyo + o];
        if (g != 0f) {
          int wo = o * in;
          for (int k = 0; k < in; k++) {
            da[dao + k] += g * w[wo + k];
          }
        }
      }
    });
    return da;
  }

  /** dW (out x in) += dYᵀ A and db += column sums of dY. */
  static void accumulateWeightGrad(float[] dy, float[] a, int rows, int out, int in, float[] dw, float[] db) {
    range(out, (long) rows * in * out).forEach(o -> {
      int wo = o * in;
      float bsum = 0;
      for (int r = 0; r < rows; r++) {
        float g = dy[r * out + o];
        if (g != 0f) {
          bsum += g;
          int ao = r * in;
          for (int k = 0; k < in; k++) {
            dw[wo + k] += g * a[ao + k];
          }
        }
      }
      db[o] += bsum;
    });
  }

  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }

  private static IntStream range(int n, long work) {
    IntStream s = IntStream.range(0, n);
    return work >= PARALLEL_WORK ? s.parallel() : s;
  }
}
