package io.queststream.trainer.ridge;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Ridge regression without intercept, min ‖y − Xw‖² + α‖w‖², for many targets and many alphas from one symmetric
 * eigendecomposition XᵀX = Q Λ Qᵀ: w(α) = Q diag(1/(λ+α)) Qᵀ Xᵀy, so each extra alpha costs O(d²) per target
 * instead of a new factorisation.
 */
public final class RidgeSolver {

  private final DMatrixRMaj q;
  private final double[] lambda;

  private RidgeSolver(DMatrixRMaj q, double[] lambda) {
    this.q = q;
    this.lambda = lambda;
  }

  public static RidgeSolver decompose(DMatrixRMaj gram) {
    int d = gram.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(gram.copy())) {
      throw new IllegalStateException("eigendecomposition of XᵀX (" + d + "x" + d + ") did not converge");
    }
    DMatrixRMaj q = new DMatrixRMaj(d, d);
    double[] lambda = new double[d];
    for (int i = 0; i < d; i++) {
      // XᵀX is positive semi-definite; round-off can leave tiny negative eigenvalues.
      lambda[i] = Math.max(0, eig.getEigenvalue(i).real);
      DMatrixRMaj v = eig.getEigenVector(i);
      for (int r = 0; r < d; r++) {
        q.set(r, i, v.get(r, 0));
      }
    }
    return new RidgeSolver(q, lambda);
  }

  /**
   * Direct solve (XᵀX + αI) w = Xᵀy by Cholesky for one alpha: the final refit on all rows needs a single alpha per
   * target, where a factorisation at d³/3 is far cheaper than another eigendecomposition.
   */
  public static DMatrixRMaj solveCholesky(DMatrixRMaj gram, DMatrixRMaj xty, double alpha) {
    DMatrixRMaj a = gram.copy();
    for (int i = 0; i < a.numRows; i++) {
      a.add(i, i, alpha);
    }
    LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(a.numRows);
    if (!chol.setA(a)) {
      throw new IllegalStateException("XᵀX + " + alpha + "I is not positive definite");
    }
    DMatrixRMaj w = new DMatrixRMaj(a.numRows, xty.numCols);
    chol.solve(xty, w);
    return w;
  }

  /** Qᵀ Xᵀy for all targets at once (d x m): computed once, reused for every alpha. */
  public DMatrixRMaj project(DMatrixRMaj xty) {
    DMatrixRMaj z = new DMatrixRMaj(q.numCols, xty.numCols);
    CommonOps_MT_DDRM.multTransA(q, xty, z);
    return z;
  }

  /** Weights for all targets (d x m) at one alpha, from a projection made by {@link #project}. */
  public DMatrixRMaj weights(DMatrixRMaj projected, double alpha) {
    DMatrixRMaj scaled = projected.copy();
    for (int i = 0; i < scaled.numRows; i++) {
      double f = 1.0 / (lambda[i] + alpha);
      for (int t = 0; t < scaled.numCols; t++) {
        scaled.set(i, t, scaled.get(i, t) * f);
      }
    }
    DMatrixRMaj w = new DMatrixRMaj(q.numRows, scaled.numCols);
    CommonOps_MT_DDRM.mult(q, scaled, w);
    return w;
  }

  /**
   * Mean squared error of each target's weights on rows known only through their statistics:
   * (wᵀ G w − 2 wᵀ b + yᵀy) / n.
   */
  public static double[] meanSquaredError(DMatrixRMaj w, GramStatistics.Snapshot rows) {
    int m = w.numCols;
    double[] mse = new double[m];
    if (rows.rows() == 0) {
      java.util.Arrays.fill(mse, Double.NaN);
      return mse;
    }
    DMatrixRMaj gw = new DMatrixRMaj(rows.gram().numRows, m);
    CommonOps_MT_DDRM.mult(rows.gram(), w, gw);
    for (int t = 0; t < m; t++) {
      double wgw = 0;
      double wb = 0;
      for (int i = 0; i < w.numRows; i++) {
        wgw += w.get(i, t) * gw.get(i, t);
        wb += w.get(i, t) * rows.xty().get(i, t);
      }
      mse[t] = Math.max(0, wgw - 2 * wb + rows.yty()[t]) / rows.rows();
    }
    return mse;
  }
}
