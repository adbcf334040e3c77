package io.queststream.streams.analytics.leaderboard;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Two-sided confidence interval of a mean from the t distribution with n − 1 degrees of freedom:
 * mean ± t_{(1+level)/2, n−1} · s / √n, s the sample standard deviation. Exact for normal values and close to the
 * normal interval once n is large; it widens where a window holds few scores, which is where a normal interval
 * would overstate what is known.
 */
public record StudentTInterval(double low, double high) {

  /** The interval, or null below two values (no spread to estimate). */
  public static StudentTInterval of(RunningStats stats, double level) {
    if (stats.count() < 2) {
      return null;
    }
    double quantile = new TDistribution(null, stats.count() - 1.0).inverseCumulativeProbability((1 + level) / 2);
    double halfWidth = quantile * Math.sqrt(stats.sampleVariance() / stats.count());
    return new StudentTInterval(stats.mean() - halfWidth, stats.mean() + halfWidth);
  }
}
