package io.queststream.trainer.ridge;

import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.ejml.data.DMatrixRMaj;

/**
 * The few dense kernels stage 1 needs, on the OpenBLAS (BLAS + LAPACKE) that ships inside the org.bytedeco openblas
 * jars. The library is loaded once per JVM with one thread per available processor; JavaCPP unpacks it from the jars
 * into its cache directory (system property {@code org.bytedeco.javacpp.cachedir}, else {@code ~/.javacpp/cache}), so
 * nothing is fetched at run time.
 *
 * <p>All matrices are row-major and live in native memory ({@link DoublePointer}): Java arrays handed to the native
 * calls would be copied in and out on every call, which for a 4096 x 4096 XᵀX costs more than the arithmetic.
 */
public final class OpenBlas {

  static {
    // Load first: the thread setting looks the OpenBLAS entry point up among the libraries already loaded.
    Loader.load(openblas.class);
    openblas.blas_set_num_threads(Runtime.getRuntime().availableProcessors());
  }

  private OpenBlas() {}

  /** What this JVM computes with: library, version, where it was unpacked to, threads. */
  public static String describe() {
    String path = "not loaded";
    for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
      if (e.getKey().startsWith("openblas@")) {
        path = e.getValue();
      }
    }
    return String.format(Locale.ROOT, "OpenBLAS %s (org.bytedeco:openblas jar, unpacked to %s), %d threads",
        openblas.class.getPackage().getImplementationVersion(), path, openblas.blas_get_num_threads());
  }

  /** c (n x n, upper triangle only) += aᵀ a for a block a of k rows x n columns: the rank-k update of XᵀX. */
  static void addGramOfRows(DoublePointer a, int k, int n, DoublePointer c) {
    openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, n, k, 1.0, a, n, 1.0, c,
        n);
  }

  /**
   * c (m x n) = op(a) b + beta c, where op(a) is a (m x k) or, with transposeA, aᵀ for a stored as k x m; b is
   * k x n.
   */
  static void multiply(boolean transposeA, int m, int n, int k, DoublePointer a, DoublePointer b, double beta,
      DoublePointer c) {
    openblas.cblas_dgemm(openblas.CblasRowMajor, transposeA ? openblas.CblasTrans : openblas.CblasNoTrans,
        openblas.CblasNoTrans, m, n, k, 1.0, a, transposeA ? m : k, b, n, beta, c, n);
  }

  /**
   * Eigendecomposition of the symmetric n x n matrix a by divide and conquer (dsyevd): on return a holds the
   * orthonormal eigenvectors as columns and eigenvalues the ascending eigenvalues.
   */
  static void symmetricEigen(DoublePointer a, int n, DoublePointer eigenvalues) {
    int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, a, n, eigenvalues);
    if (info != 0) {
      throw new IllegalStateException("eigendecomposition of a " + n + "x" + n + " matrix failed (LAPACK dsyevd info "
          + info + (info > 0 ? ": did not converge)" : ": invalid argument)"));
    }
  }

  /**
   * Solves a x = b for symmetric positive definite a (n x n, upper triangle read) by Cholesky (dpotrf, dpotrs); a
   * is overwritten by its factor and b (n x m) by the solution.
   *
   * @return false when a is not positive definite
   */
  static boolean choleskySolve(DoublePointer a, int n, DoublePointer b, int m) {
    int info = openblas.LAPACKE_dpotrf(openblas.LAPACK_ROW_MAJOR, (byte) 'U', n, a, n);
    if (info > 0) {
      return false;
    }
    if (info == 0) {
      info = openblas.LAPACKE_dpotrs(openblas.LAPACK_ROW_MAJOR, (byte) 'U', n, m, a, n, b, m);
    }
    if (info != 0) {
      throw new IllegalStateException("Cholesky solve of a " + n + "x" + n + " system failed (LAPACK info " + info
          + ": invalid argument)");
    }
    return true;
  }

  /** A native copy of a matrix; the caller closes it. */
  static DoublePointer copyOf(DMatrixRMaj m) {
    return new DoublePointer((long) m.numRows * m.numCols).put(m.data, 0, m.numRows * m.numCols);
  }

  /** A heap copy of a native rows x cols matrix. */
  static DMatrixRMaj toMatrix(DoublePointer p, int rows, int cols) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    p.get(m.data, 0, rows * cols);
    return m;
  }
}
