package io.queststream.trainer.ridge;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;

/**
 * Sufficient statistics of a ridge problem without intercept for K targets that share one design matrix:
 * XᵀX (d x d), Xᵀy (d x K), yᵀy and n per target. Rows are buffered and folded in blocks with a multi-threaded
 * XᵀX update, so adding new rows costs O(rows · d²) and never rescans old ones.
 *
 * <p>Every row added here must carry a label for every target (rows with partial labels belong to the statistics
 * of their own label set, see {@link RidgeDataset}).
 */
public final class GramStatistics {

  private static final int BLOCK = 512;

  private final int dim;
  private final int targets;
  private final DMatrixRMaj gram;
  private final DMatrixRMaj xty;
  private final double[] yty;
  private long rows;
  private final double[] pendingX;
  private final double[] pendingY;
  private int pending;

  public GramStatistics(int dim, int targets) {
    this.dim = dim;
    this.targets = targets;
    this.gram = new DMatrixRMaj(dim, dim);
    this.xty = new DMatrixRMaj(dim, targets);
    this.yty = new double[targets];
    this.pendingX = new double[BLOCK * dim];
    this.pendingY = new double[BLOCK * targets];
  }

  public int dim() {
    return dim;
  }

  public int targets() {
    return targets;
  }

  public synchronized void add(float[] x, double[] y) {
    if (x.length != dim || y.length != targets) {
      throw new IllegalArgumentException(
          "row has " + x.length + " features / " + y.length + " labels, expected " + dim + " / " + targets);
    }
    for (int c = 0; c < dim; c++) {
      pendingX[pending * dim + c] = x[c];
    }
    System.arraycopy(y, 0, pendingY, pending * targets, targets);
    pending++;
    if (pending == BLOCK) {
      flush();
    }
  }

  private void flush() {
    if (pending == 0) {
      return;
    }
    DMatrixRMaj x = DMatrixRMaj.wrap(pending, dim, Arrays.copyOf(pendingX, pending * dim));
    DMatrixRMaj y = DMatrixRMaj.wrap(pending, targets, Arrays.copyOf(pendingY, pending * targets));
    CommonOps_MT_DDRM.multAddTransA(x, x, gram);
    CommonOps_DDRM.multAddTransA(x, y, xty);
    for (int i = 0; i < pending; i++) {
      for (int t = 0; t < targets; t++) {
        double v = pendingY[i * targets + t];
        yty[t] += v * v;
      }
    }
    rows += pending;
    pending = 0;
  }

  /** A consistent copy of the statistics including every row added so far. */
  public synchronized Snapshot snapshot() {
    flush();
    return new Snapshot(gram.copy(), xty.copy(), yty.clone(), rows);
  }

  /** Immutable view of the statistics at one moment. */
  public record Snapshot(DMatrixRMaj gram, DMatrixRMaj xty, double[] yty, long rows) {

    public static Snapshot empty(int dim, int targets) {
      return new Snapshot(new DMatrixRMaj(dim, dim), new DMatrixRMaj(dim, targets), new double[targets], 0);
    }

    public Snapshot plus(Snapshot o) {
      DMatrixRMaj g = new DMatrixRMaj(gram.numRows, gram.numCols);
      CommonOps_DDRM.add(gram, o.gram, g);
      DMatrixRMaj b = new DMatrixRMaj(xty.numRows, xty.numCols);
      CommonOps_DDRM.add(xty, o.xty, b);
      double[] s = yty.clone();
      for (int i = 0; i < s.length; i++) {
        s[i] += o.yty[i];
      }
      return new Snapshot(g, b, s, rows + o.rows);
    }
  }
}
