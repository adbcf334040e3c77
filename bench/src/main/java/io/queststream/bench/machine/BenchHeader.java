package io.queststream.bench.machine;

import io.queststream.bench.Spread;
import java.io.PrintStream;
import java.util.Locale;

/** The lines every benchmark starts with, and the GEMM peak its FLOP/s figures are judged against. */
public final class BenchHeader {

  private BenchHeader() {}

  public static void print(PrintStream out) {
    out.println("machine     " + Machine.describe());
    out.println("load        " + Machine.loadAverage() + " (1, 5, 15 min) at start");
    out.println("OpenBLAS    " + OpenBlasKernel.describe());
  }

  /** Measures and prints the fp32 GEMM peak; returns its best GFLOP/s. */
  public static double gemmPeak(int n, int reps, PrintStream out) {
    Spread peak = GemmPeak.measure(n, reps);
    out.printf(Locale.ROOT, "GEMM peak   OpenBLAS sgemm %dx%dx%d on %d threads: %s GFLOP/s over %d calls; the best "
        + "call is the peak%n", n, n, n, OpenBlasKernel.threads(), peak.format(1), peak.n());
    return peak.max();
  }
}
