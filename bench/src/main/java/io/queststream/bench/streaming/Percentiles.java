package io.queststream.bench.streaming;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of measurements. */
public final class Percentiles {

  private final long[] sorted;

  public Percentiles(long[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no measurements");
    }
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** The smallest value with at least p percent of the measurements at or below it. */
  public long at(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
