package io.queststream.bench.machine;

import io.queststream.bench.Spread;
import java.util.Locale;

/**
 * Measures the GEMM peak in a JVM of its own. OpenBLAS must not be loaded next to the model: JavaCPP loads it into
 * the global symbol scope, and libtorch, loaded after it, would bind its BLAS calls to it (and crash in it).
 * Prints the OpenBLAS description, then "median min max n" of the GFLOP/s.
 */
public final class GemmProbe {

  private GemmProbe() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int reps = Integer.parseInt(args[1]);
    System.out.println(OpenBlasKernel.describe());
    Spread s = GemmPeak.measure(n, reps);
    System.out.println(String.format(Locale.ROOT, "%f %f %f %d", s.median(), s.min(), s.max(), s.n()));
  }
}
