package io.queststream.bench.machine;

import io.queststream.bench.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The machine's fp32 matrix-multiply peak as OpenBLAS reaches it: square sgemm on every available processor, the
 * operands in native memory (Java arrays would be copied on every call). A model's achieved FLOP/s is judged
 * against this figure, measured in the same run.
 */
public final class GemmPeak {

  private GemmPeak() {}

  /** GFLOP/s of {@code reps} calls of an n x n x n sgemm, after two unmeasured calls. */
  public static Spread measure(int n, int reps) {
    OpenBlasKernel.threads();
    Random rnd = new Random(1);
    long size = (long) n * n;
    try (FloatPointer a = random(size, rnd); FloatPointer b = random(size, rnd); FloatPointer c = new FloatPointer(size)) {
      double flops = 2.0 * n * n * n;
      List<Double> gflops = new ArrayList<>();
      for (int i = -2; i < reps; i++) {
        long start = System.nanoTime();
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1f, a, n,
            b, n, 0f, c, n);
        long nanos = System.nanoTime() - start;
        if (i >= 0) {
          gflops.add(flops / nanos);
        }
      }
      return Spread.of(gflops);
    }
  }

  private static FloatPointer random(long size, Random rnd) {
    FloatPointer p = new FloatPointer(size);
    for (long i = 0; i < size; i++) {
      p.put(i, rnd.nextFloat() - 0.5f);
    }
    return p;
  }
}
