package io.queststream.streams.analytics.leaderboard;

/**
 * Count, mean and sum of squared deviations of a stream of values, updated one value at a time (Welford 1962), which
 * stays accurate where the naive sum of squares cancels.
 */
public record RunningStats(long count, double mean, double m2) {

  public static final RunningStats EMPTY = new RunningStats(0, 0, 0);

  public RunningStats add(double x) {
    long n = count + 1;
    double d = x - mean;
    double m = mean + d / n;
    return new RunningStats(n, m, m2 + d * (x - m));
  }

  /** The sample variance (n − 1 in the denominator); NaN below two values. */
  public double sampleVariance() {
    return count < 2 ? Double.NaN : m2 / (count - 1);
  }
}
