package io.queststream.trainer.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Spearman rank correlation: Pearson correlation of ranks, tied values sharing their average rank. */
public final class Spearman {

  private Spearman() {}

  public static double correlation(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("series differ in length: " + a.length + " vs " + b.length);
    }
    return Pearson.correlation(ranks(a), ranks(b));
  }

  static double[] ranks(double[] v) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int m = i; m <= j; m++) {
        r[order[m]] = avg;
      }
      i = j + 1;
    }
    return r;
  }

  /** Pearson correlation; NaN when either series is constant. */
  public static final class Pearson {
    private Pearson() {}

    public static double correlation(double[] a, double[] b) {
      int n = a.length;
      double ma = 0;
      double mb = 0;
      for (int i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
      }
      ma /= n;
      mb /= n;
      double sab = 0;
      double saa = 0;
      double sbb = 0;
      for (int i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
      }
      return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }
  }
}
