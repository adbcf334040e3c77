package io.queststream.trainer.ridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

/** The OpenBLAS kernels of stage 1 against plain EJML arithmetic on small random problems. */
class OpenBlasRidgeTest {

  private static final double TOLERANCE = 1e-6;
  private static final double[] ALPHAS = RidgeTrainer.DEFAULT_ALPHAS;

  @Test
  void statisticsFoldedInRowBlocksEqualTheSumsOverAllRows() {
    // given 1300 rows (two full blocks of 512 and a partial one), with a snapshot taken after row 700 that folds a
    // partial block early
    Problem p = Problem.random(1300, 37, 3, 11);
    GramStatistics stats = new GramStatistics(p.dim(), p.targets());
    GramStatistics.Snapshot early = null;
    for (int i = 0; i < p.rows(); i++) {
      stats.add(p.row(i), p.labels(i));
      if (i == 700) {
        early = stats.snapshot();
      }
    }

    // when
    GramStatistics.Snapshot all = stats.snapshot();

    // then both snapshots equal XᵀX, Xᵀy and yᵀy of the rows they cover
    assertMatches(early, p.firstRows(701));
    assertMatches(all, p);
  }

  @Test
  void eigendecompositionGivesTheDirectSolutionAtEveryAlpha() {
    // given
    Problem p = Problem.random(300, 40, 3, 5);
    DMatrixRMaj gram = p.gram();
    DMatrixRMaj xty = p.xty();

    // when every alpha is solved from one decomposition, side by side
    DMatrixRMaj all;
    try (RidgeSolver solver = RidgeSolver.decompose(gram)) {
      all = solver.weights(solver.project(xty), ALPHAS);
    }

    // then each block of columns is (XᵀX + αI)⁻¹ Xᵀy
    for (int j = 0; j < ALPHAS.length; j++) {
      DMatrixRMaj expected = new DMatrixRMaj(p.dim(), p.targets());
      CommonOps_DDRM.solve(shifted(gram, ALPHAS[j]), xty, expected);
      DMatrixRMaj block = CommonOps_DDRM.extract(all, 0, p.dim(), j * p.targets(), (j + 1) * p.targets());
      assertThat(relativeError(block, expected)).as("alpha %s", ALPHAS[j]).isLessThan(TOLERANCE);
    }
  }

  @Test
  void choleskyRefitEqualsEjmlCholesky() {
    // given
    Problem p = Problem.random(200, 25, 2, 8);
    DMatrixRMaj expected = new DMatrixRMaj(p.dim(), p.targets());
    LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(p.dim());
    assertThat(chol.setA(shifted(p.gram(), 0.1))).isTrue();
    chol.solve(p.xty(), expected);

    // when
    DMatrixRMaj w = RidgeSolver.solveCholesky(p.gram(), p.xty(), 0.1);

    // then
    assertThat(relativeError(w, expected)).isLessThan(TOLERANCE);
  }

  @Test
  void validationMseOfSideBySideWeightsEqualsTheMeanOfSquaredResiduals() {
    // given held-out rows and candidate weights for three alphas side by side (2 targets each)
    Problem rows = Problem.random(150, 12, 2, 21);
    GramStatistics stats = new GramStatistics(rows.dim(), rows.targets());
    for (int i = 0; i < rows.rows(); i++) {
      stats.add(rows.row(i), rows.labels(i));
    }
    DMatrixRMaj w = new DMatrixRMaj(rows.dim(), 6);
    Random rnd = new Random(4);
    for (int i = 0; i < w.data.length; i++) {
      w.data[i] = rnd.nextGaussian() * 0.1;
    }

    // when
    double[] mse = RidgeSolver.meanSquaredError(w, stats.snapshot());

    // then column c is scored against target c mod 2
    DMatrixRMaj predictions = new DMatrixRMaj(rows.rows(), 6);
    CommonOps_DDRM.mult(rows.x(), w, predictions);
    for (int c = 0; c < 6; c++) {
      double sum = 0;
      for (int i = 0; i < rows.rows(); i++) {
        double r = predictions.get(i, c) - rows.y().get(i, c % 2);
        sum += r * r;
      }
      double expected = sum / rows.rows();
      assertThat(Math.abs(mse[c] - expected) / expected).as("column %d", c).isLessThan(TOLERANCE);
    }
  }

  @Test
  void refusesASystemThatIsNotPositiveDefinite() {
    // given a Gram matrix with a negative eigenvalue (not a Gram matrix of real rows) and no ridge to lift it
    DMatrixRMaj gram = new DMatrixRMaj(new double[][] {{1, 2}, {2, 1}});
    DMatrixRMaj xty = new DMatrixRMaj(new double[][] {{1}, {1}});

    // when / then
    assertThatThrownBy(() -> RidgeSolver.solveCholesky(gram, xty, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not positive definite");
  }

  private static void assertMatches(GramStatistics.Snapshot s, Problem p) {
    assertThat(s.rows()).isEqualTo(p.rows());
    assertThat(relativeError(s.gram(), p.gram())).isLessThan(TOLERANCE);
    assertThat(relativeError(s.xty(), p.xty())).isLessThan(TOLERANCE);
    for (int t = 0; t < p.targets(); t++) {
      double expected = 0;
      for (int i = 0; i < p.rows(); i++) {
        expected += p.y().get(i, t) * p.y().get(i, t);
      }
      assertThat(Math.abs(s.yty()[t] - expected) / expected).isLessThan(TOLERANCE);
    }
  }

  private static DMatrixRMaj shifted(DMatrixRMaj gram, double alpha) {
    DMatrixRMaj a = gram.copy();
    for (int i = 0; i < a.numRows; i++) {
      a.add(i, i, alpha);
    }
    return a;
  }

  /** max |actual − expected| / max |expected|: a relative error that does not blow up on entries near zero. */
  private static double relativeError(DMatrixRMaj actual, DMatrixRMaj expected) {
    assertThat(actual.numRows).isEqualTo(expected.numRows);
    assertThat(actual.numCols).isEqualTo(expected.numCols);
    DMatrixRMaj diff = new DMatrixRMaj(actual.numRows, actual.numCols);
    CommonOps_DDRM.subtract(actual, expected, diff);
    return CommonOps_DDRM.elementMaxAbs(diff) / CommonOps_DDRM.elementMaxAbs(expected);
  }

  /** Rows x (float features, as the embeddings arrive) and labels y, with their sums computed the plain way. */
  private record Problem(DMatrixRMaj x, DMatrixRMaj y) {

    static Problem random(int rows, int dim, int targets, long seed) {
      Random rnd = new Random(seed);
      DMatrixRMaj x = new DMatrixRMaj(rows, dim);
      DMatrixRMaj y = new DMatrixRMaj(rows, targets);
      for (int i = 0; i < rows; i++) {
        for (int c = 0; c < dim; c++) {
          x.set(i, c, (float) (rnd.nextGaussian() + 0.5));
        }
        for (int t = 0; t < targets; t++) {
          y.set(i, t, rnd.nextDouble());
        }
      }
      return new Problem(x, y);
    }

    int rows() {
      return x.numRows;
    }

    int dim() {
      return x.numCols;
    }

    int targets() {
      return y.numCols;
    }

    float[] row(int i) {
      float[] r = new float[dim()];
      for (int c = 0; c < r.length; c++) {
        r[c] = (float) x.get(i, c);
      }
      return r;
    }

    double[] labels(int i) {
      double[] l = new double[targets()];
      for (int t = 0; t < l.length; t++) {
        l[t] = y.get(i, t);
      }
      return l;
    }

    Problem firstRows(int n) {
      return new Problem(CommonOps_DDRM.extract(x, 0, n, 0, dim()), CommonOps_DDRM.extract(y, 0, n, 0, targets()));
    }

    DMatrixRMaj gram() {
      DMatrixRMaj g = new DMatrixRMaj(dim(), dim());
      CommonOps_DDRM.multTransA(x, x, g);
      return g;
    }

    DMatrixRMaj xty() {
      DMatrixRMaj b = new DMatrixRMaj(dim(), targets());
      CommonOps_DDRM.multTransA(x, y, b);
      return b;
    }
  }
}
