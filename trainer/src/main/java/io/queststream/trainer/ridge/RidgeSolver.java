package io.queststream.trainer.ridge;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.ejml.data.DMatrixRMaj;

/**
 * Ridge regression without intercept, min ‖y − Xw‖² + α‖w‖², for many targets and many alphas from one symmetric
 * eigendecomposition XᵀX = Q Λ Qᵀ (LAPACK dsyevd): w(α) = Q diag(1/(λ+α)) Qᵀ Xᵀy, so each extra alpha costs O(d²)
 * per target instead of a new factorisation.
 *
 * <p>Q stays in native memory for the products with it; {@link #close()} releases it at once (otherwise it goes
 * with this object).
 */
public final class RidgeSolver implements AutoCloseable {

  private final int dim;
  private final DoublePointer q;
  private final double[] lambda;

  private RidgeSolver(int dim, DoublePointer q, double[] lambda) {
    this.dim = dim;
    this.q = q;
    this.lambda = lambda;
  }

  public static RidgeSolver decompose(DMatrixRMaj gram) {
    int d = gram.numRows;
    DoublePointer q = OpenBlas.copyOf(gram);
    double[] lambda = new double[d];
    try (DoublePointer eigenvalues = new DoublePointer(d)) {
      OpenBlas.symmetricEigen(q, d, eigenvalues);
      eigenvalues.get(lambda);
    } catch (RuntimeException e) {
      q.close();
      throw e;
    }
    for (int i = 0; i < d; i++) {
      // XᵀX is positive semi-definite; round-off can leave tiny negative eigenvalues.
      lambda[i] = Math.max(0, lambda[i]);
    }
    return new RidgeSolver(d, q, lambda);
  }

  /**
   * Direct solve (XᵀX + αI) w = Xᵀy by Cholesky (LAPACK dpotrf/dpotrs) for one alpha: the final refit on all rows
   * needs a single alpha per target, where a factorisation at d³/3 is far cheaper than another eigendecomposition.
   */
  public static DMatrixRMaj solveCholesky(DMatrixRMaj gram, DMatrixRMaj xty, double alpha) {
    int d = gram.numRows;
    try (DoublePointer a = OpenBlas.copyOf(gram); DoublePointer w = OpenBlas.copyOf(xty)) {
      for (long i = 0; i < d; i++) {
        a.put(i * d + i, a.get(i * d + i) + alpha);
      }
      if (!OpenBlas.choleskySolve(a, d, w, xty.numCols)) {
        throw new IllegalStateException("XᵀX + " + alpha + "I is not positive definite");
      }
      return OpenBlas.toMatrix(w, d, xty.numCols);
    }
  }

  /** Qᵀ Xᵀy for all targets at once (d x m): computed once, reused for every alpha. */
  public DMatrixRMaj project(DMatrixRMaj xty) {
    int m = xty.numCols;
    try (DoublePointer b = OpenBlas.copyOf(xty); DoublePointer z = new DoublePointer((long) dim * m)) {
      OpenBlas.multiply(true, dim, m, dim, q, b, 0.0, z);
      return OpenBlas.toMatrix(z, dim, m);
    }
  }

  /** Weights for all targets (d x m) at one alpha, from a projection made by {@link #project}. */
  public DMatrixRMaj weights(DMatrixRMaj projected, double alpha) {
    return weights(projected, new double[] {alpha});
  }

  /**
   * Weights for all targets at every alpha in one product: d x (alphas · m), the m columns of alphas[0] first, then
   * those of alphas[1], and so on.
   */
  public DMatrixRMaj weights(DMatrixRMaj projected, double[] alphas) {
    int m = projected.numCols;
    int cols = alphas.length * m;
    DMatrixRMaj scaled = new DMatrixRMaj(dim, cols);
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < alphas.length; j++) {
        double f = 1.0 / (lambda[i] + alphas[j]);
        for (int t = 0; t < m; t++) {
          scaled.data[i * cols + j * m + t] = projected.data[i * m + t] * f;
        }
      }
    }
    try (DoublePointer s = OpenBlas.copyOf(scaled); DoublePointer w = new DoublePointer((long) dim * cols)) {
      OpenBlas.multiply(false, dim, cols, dim, q, s, 0.0, w);
      return OpenBlas.toMatrix(w, dim, cols);
    }
  }

  /**
   * Mean squared error of weights on rows known only through their statistics: (wᵀ G w − 2 wᵀ b + yᵀy) / n. w may
   * hold several candidate weight sets side by side (see {@link #weights(DMatrixRMaj, double[])}): column c is scored
   * against target c mod m, so all alphas cost one product with G.
   */
  public static double[] meanSquaredError(DMatrixRMaj w, GramStatistics.Snapshot rows) {
    int d = w.numRows;
    int cols = w.numCols;
    int m = rows.xty().numCols;
    if (cols % m != 0) {
      throw new IllegalArgumentException(cols + " weight columns do not cover " + m + " targets");
    }
    double[] mse = new double[cols];
    if (rows.rows() == 0) {
      Arrays.fill(mse, Double.NaN);
      return mse;
    }
    DMatrixRMaj gw;
    try (DoublePointer g = OpenBlas.copyOf(rows.gram()); DoublePointer wn = OpenBlas.copyOf(w);
        DoublePointer out = new DoublePointer((long) d * cols)) {
      OpenBlas.multiply(false, d, cols, d, g, wn, 0.0, out);
      gw = OpenBlas.toMatrix(out, d, cols);
    }
    for (int c = 0; c < cols; c++) {
      int t = c % m;
      double wgw = 0;
      double wb = 0;
      for (int i = 0; i < d; i++) {
        double wi = w.data[i * cols + c];
        wgw += wi * gw.data[i * cols + c];
        wb += wi * rows.xty().data[i * m + t];
      }
      mse[c] = Math.max(0, wgw - 2 * wb + rows.yty()[t]) / rows.rows();
    }
    return mse;
  }

  @Override
  public void close() {
    q.close();
  }
}
