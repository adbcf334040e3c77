package io.queststream.trainer.transform;

import io.queststream.trainer.eval.Spearman;
import org.ejml.simple.SimpleMatrix;

/**
 * Builds the debiasing transform T (docs/architecture.md#6-the-reward-model) from stage-1 rewards on a reference set.
 * Objective j becomes r_j − λ_j r_v, λ_j the smallest grid value at which Spearman(r_j − λ_j r_v, r_v) ≤ 0.03.
 *
 * <p>When v is an attribute, r_v is that attribute's reward and its own row stays e_v. When v is an external signal
 * such as response length, T can only mix rewards, so r_v is the rewards' linear proxy of the signal: the
 * least-squares direction a with a·r ≈ standardised signal, rescaled so a·r spreads like a typical reward (median
 * standard deviation of the attributes) times the proxy's correlation with the signal, so a signal the rewards do
 * not predict barely moves T. The Spearman criterion is then taken against the signal itself (length), not the
 * proxy. Row j of T is e_j − λ_j a, which keeps inference linear.
 */
public final class VerbosityDebiaser {

  /** {0, .01, .025} then .05 to .95 in steps of .05. */
  public static final double[] LAMBDA_GRID = grid();
  public static final double MAX_SPEARMAN = 0.03;

  /** T (K x K, row-major) with the lambda chosen for each objective. */
  public record Transform(float[] matrix, float[] lambdas) {

    public static Transform identity(int k) {
      float[] t = new float[k * k];
      for (int i = 0; i < k; i++) {
        t[i * k + i] = 1;
      }
      return new Transform(t, new float[k]);
    }
  }

  private VerbosityDebiaser() {}

  private static double[] grid() {
    double[] g = new double[3 + 19];
    g[0] = 0;
    g[1] = 0.01;
    g[2] = 0.025;
    for (int i = 0; i < 19; i++) {
      g[3 + i] = 0.05 * (i + 1);
    }
    return g;
  }

  /** v = attribute {@code verbosityAttribute}. rewards: n rows of K. */
  public static Transform fromAttribute(float[][] rewards, int verbosityAttribute) {
    int k = rewards[0].length;
    double[] a = new double[k];
    a[verbosityAttribute] = 1;
    return build(rewards, a, verbosityAttribute, null);
  }

  /** v = an external per-response signal such as response length in tokens. */
  public static Transform fromSignal(float[][] rewards, double[] signal) {
    if (rewards.length != signal.length) {
      throw new IllegalArgumentException("rewards and signal differ in length");
    }
    int k = rewards[0].length;
    int n = rewards.length;
    if (n < k + 2) {
      return Transform.identity(k);
    }
    double[] z = standardise(signal);
    double[] mean = new double[k];
    for (float[] r : rewards) {
      for (int j = 0; j < k; j++) {
        mean[j] += r[j] / (double) n;
      }
    }
    double[][] xtx = new double[k][k];
    double[] xtz = new double[k];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < k; p++) {
        double xp = rewards[i][p] - mean[p];
        xtz[p] += xp * z[i];
        for (int q = 0; q < k; q++) {
          xtx[p][q] += xp * (rewards[i][q] - mean[q]);
        }
      }
    }
    for (int p = 0; p < k; p++) {
      xtx[p][p] += 1e-6 * n;
    }
    SimpleMatrix sol = new SimpleMatrix(xtx).solve(
        new SimpleMatrix(k, 1, true, xtz));
    double[] a = new double[k];
    for (int p = 0; p < k; p++) {
      a[p] = sol.get(p, 0);
    }
    double[] proxy = project(rewards, a);
    double proxySd = sd(proxy);
    double fit = Spearman.Pearson.correlation(proxy, z);
    double[] sds = new double[k];
    for (int j = 0; j < k; j++) {
      sds[j] = sd(column(rewards, j));
    }
    java.util.Arrays.sort(sds);
    double target = sds[k / 2];
    if (!(proxySd > 0) || !(target > 0) || !(fit > 0)) {
      return Transform.identity(k);
    }
    for (int p = 0; p < k; p++) {
      a[p] *= fit * target / proxySd;
    }
    return build(rewards, a, -1, signal);
  }

  private static Transform build(float[][] rewards, double[] a, int verbosityAttribute, double[] criterionSignal) {
    int k = a.length;
    double[] rv = project(rewards, a);
    double[] signal = criterionSignal == null ? rv : criterionSignal;
    float[] t = new float[k * k];
    float[] lambdas = new float[k];
    for (int j = 0; j < k; j++) {
      double lambda = 0;
      if (j != verbosityAttribute) {
        lambda = smallestLambda(column(rewards, j), rv, signal);
      }
      lambdas[j] = (float) lambda;
      for (int c = 0; c < k; c++) {
        t[j * k + c] = (float) ((j == c ? 1 : 0) - lambda * a[c]);
      }
    }
    return new Transform(t, lambdas);
  }

  static double smallestLambda(double[] rj, double[] rv, double[] signal) {
    double[] adjusted = new double[rj.length];
    for (double lambda : LAMBDA_GRID) {
      for (int i = 0; i < rj.length; i++) {
        adjusted[i] = rj[i] - lambda * rv[i];
      }
      double rho = Spearman.correlation(adjusted, signal);
      if (Double.isNaN(rho) || rho <= MAX_SPEARMAN) {
        return lambda;
      }
    }
    return LAMBDA_GRID[LAMBDA_GRID.length - 1];
  }

  private static double[] project(float[][] rewards, double[] a) {
    double[] v = new double[rewards.length];
    for (int i = 0; i < rewards.length; i++) {
      for (int j = 0; j < a.length; j++) {
        v[i] += a[j] * rewards[i][j];
      }
    }
    return v;
  }

  private static double[] column(float[][] m, int j) {
    double[] c = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i][j];
    }
    return c;
  }

  private static double[] standardise(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x / v.length;
    }
    double s = sd(v);
    double[] z = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      z[i] = s > 0 ? (v[i] - mean) / s : 0;
    }
    return z;
  }

  private static double sd(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x / v.length;
    }
    double s = 0;
    for (double x : v) {
      s += (x - mean) * (x - mean);
    }
    return Math.sqrt(s / Math.max(1, v.length - 1));
  }
}
