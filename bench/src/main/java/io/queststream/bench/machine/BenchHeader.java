package io.queststream.bench.machine;

import io.queststream.bench.Spread;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The lines every benchmark starts with, and the GEMM peak its FLOP/s figures are judged against. */
public final class BenchHeader {

  private BenchHeader() {}

  public static void print(PrintStream out) {
    out.println("machine     " + Machine.describe());
    out.println("jvm         " + JvmSettings.describe());
    out.println("load        " + Machine.loadAverage() + " (1, 5, 15 min) at start");
  }

  /**
   * Measures the fp32 GEMM peak in a child JVM (see {@link GemmProbe}) and prints it with the OpenBLAS kernel that
   * reached it; returns its best GFLOP/s. An inherited {@code OPENBLAS_CORETYPE} forces a kernel that may be older
   * than the CPU (Haswell's AVX2 on an AVX-512 machine): then the probe runs once more without it, both are printed,
   * and the peak is the better one, since the peak is the machine's, not the environment's.
   */
  public static double gemmPeak(int n, int reps, PrintStream out) throws IOException, InterruptedException {
    double peak = probe(n, reps, true, out);
    if (System.getenv(OpenBlasKernel.CORETYPE) != null) {
      peak = Math.max(peak, probe(n, reps, false, out));
    }
    return peak;
  }

  private static double probe(int n, int reps, boolean inheritCoreType, PrintStream out)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        GemmProbe.class.getName(), Integer.toString(n), Integer.toString(reps))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (!inheritCoreType) {
      builder.environment().remove(OpenBlasKernel.CORETYPE);
    }
    Process p = builder.start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (p.waitFor() != 0 || lines.size() < 2) {
      throw new IllegalStateException("the GEMM probe failed (exit " + p.exitValue() + "): " + lines);
    }
    String[] f = lines.get(lines.size() - 1).trim().split(" ");
    Spread peak = new Spread(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
        Integer.parseInt(f[3]));
    out.println("OpenBLAS    " + lines.get(lines.size() - 2)
        + (inheritCoreType ? "" : " (probe run without the inherited " + OpenBlasKernel.CORETYPE + ")"));
    out.printf(Locale.ROOT, "GEMM peak   OpenBLAS sgemm %dx%dx%d, all processors: %s GFLOP/s over %d calls (own "
        + "JVM); the best call is the peak%n", n, n, n, peak.format(1), peak.n());
    return peak.max();
  }
}
