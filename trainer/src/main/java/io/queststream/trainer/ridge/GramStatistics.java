package io.queststream.trainer.ridge;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Sufficient statistics of a ridge problem without intercept for K targets that share one design matrix:
 * XᵀX (d x d), Xᵀy (d x K), yᵀy and n per target. Rows are buffered and folded in blocks with OpenBLAS (a dsyrk
 * rank-k update of XᵀX and a dgemm for Xᵀy), so adding new rows costs O(rows · d²) and never rescans old ones.
 *
 * <p>The running sums live in native memory, which JavaCPP frees once this object is garbage collected. Every row
 * added here must carry a label for every target (rows with partial labels belong to the statistics of their own
 * label set, see {@link RidgeDataset}).
 */
public final class GramStatistics {

  private static final int BLOCK = 512;

  private final int dim;
  private final int targets;
  /** Upper triangle only: the rank-k update never writes the lower one; snapshots mirror it. */
  private final DoublePointer gram;
  private final DoublePointer xty;
  private final double[] yty;
  private long rows;
  private final DoublePointer pendingX;
  private final DoublePointer pendingY;
  private final DoubleBuffer pendingXRows;
  private final double[] pendingLabels;
  private int pending;

  public GramStatistics(int dim, int targets) {
    this.dim = dim;
    this.targets = targets;
    this.gram = new DoublePointer((long) dim * dim).zero();
    this.xty = new DoublePointer((long) dim * targets).zero();
    this.yty = new double[targets];
    this.pendingX = new DoublePointer((long) BLOCK * dim);
    this.pendingY = new DoublePointer((long) BLOCK * targets);
    this.pendingXRows = pendingX.asBuffer();
    this.pendingLabels = new double[BLOCK * targets];
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
    int offset = pending * dim;
    for (int c = 0; c < dim; c++) {
      pendingXRows.put(offset + c, x[c]);
    }
    System.arraycopy(y, 0, pendingLabels, pending * targets, targets);
    pending++;
    if (pending == BLOCK) {
      flush();
    }
  }

  private void flush() {
    if (pending == 0) {
      return;
    }
    pendingY.put(pendingLabels, 0, pending * targets);
    OpenBlas.addGramOfRows(pendingX, pending, dim, gram);
    OpenBlas.multiply(true, dim, targets, pending, pendingX, pendingY, 1.0, xty);
    for (int i = 0; i < pending * targets; i++) {
      double v = pendingLabels[i];
      yty[i % targets] += v * v;
    }
    rows += pending;
    pending = 0;
  }

  /** A consistent copy of the statistics including every row added so far. */
  public synchronized Snapshot snapshot() {
    flush();
    DMatrixRMaj g = OpenBlas.toMatrix(gram, dim, dim);
    for (int r = 1; r < dim; r++) {
      for (int c = 0; c < r; c++) {
        g.data[r * dim + c] = g.data[c * dim + r];
      }
    }
    return new Snapshot(g, OpenBlas.toMatrix(xty, dim, targets), yty.clone(), rows);
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
