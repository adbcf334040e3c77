package io.queststream.streams.analytics.drift;

import io.queststream.streams.analytics.observation.ScoreRef;
import java.util.Locale;
import java.util.Optional;

/**
 * Two-sided Page-Hinkley test for a change in the mean of one stream of values (E. S. Page, "Continuous inspection
 * schemes", Biometrika 41, 1954), in the online form of Gama et al., "A survey on concept drift adaptation", ACM
 * Computing Surveys 46(4), 2014, the form River's {@code drift.PageHinkley} computes in mode "both" with its
 * forgetting factor alpha = 1 (no forgetting). With x̄_t the mean of x_1..x_t, δ the tolerated change and λ the
 * threshold:
 *
 * <pre>
 *   U_t = Σ_{i≤t} (x_i − x̄_i − δ)    a rise shows as  U_t − min_{i≤t} U_i  &gt; λ
 *   L_t = Σ_{i≤t} (x_i − x̄_i + δ)    a drop shows as  max_{i≤t} L_i − L_t  &gt; λ
 * </pre>
 *
 * <p>tested once {@code minObservations} values were seen. The observation where the extremum was last reached is
 * the estimated change point (the last value of the old regime), so a detection reports the mean before and after
 * it.
 * After a detection the test starts over from the next value. Immutable: {@link #add} returns the next state, which
 * is what the changelogged store keeps.
 *
 * @param count values since the test (re)started
 * @param mean their mean x̄
 * @param sum their sum, for the means either side of the change point
 * @param first the first of them
 * @param rise the U side
 * @param drop the L side
 */
public record PageHinkley(long count, double mean, double sum, ScoreRef first, Side rise, Side drop) {

  /** Which way the mean moved. */
  public enum Direction {
    DROP, RISE;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One side's cumulative sum and its extremum so far.
   *
   * @param extremumCount values up to and including the extremum (0: none yet)
   * @param extremumSum their sum
   * @param changeStart the first value after the extremum; null until it arrives
   */
  public record Side(double cumulative, double extremum, long extremumCount, double extremumSum,
      ScoreRef changeStart) {

    static final Side EMPTY = new Side(0, 0, 0, 0, null);

    /** Adds a term; {@code lowIsExtreme} for the U side (its minimum), false for the L side (its maximum). */
    Side add(double term, boolean lowIsExtreme, long count, double sum, ScoreRef at) {
      double next = cumulative + term;
      // On a tie the later value is the better change point: the sum stays level while the old regime lasts.
      boolean newExtremum = extremumCount == 0 || (lowIsExtreme ? next <= extremum : next >= extremum);
      if (newExtremum) {
        return new Side(next, next, count, sum, null);
      }
      return new Side(next, extremum, extremumCount, extremumSum, changeStart == null ? at : changeStart);
    }
  }

  /**
   * A change found.
   *
   * @param statistic the side's test statistic, greater than the threshold
   * @param before values up to and including the change point
   * @param after values after it, up to the detection
   */
  public record Detection(Direction direction, double statistic, double meanBefore, double meanAfter, long before,
      long after, ScoreRef first, ScoreRef changeStart, ScoreRef detectedAt) {}

  /** The state after one more value and the detection it caused, if any. */
  public record Step(PageHinkley next, Optional<Detection> detection) {}

  public static PageHinkley start() {
    return new PageHinkley(0, 0, 0, null, Side.EMPTY, Side.EMPTY);
  }

  public Step add(double x, ScoreRef at, double delta, double threshold, long minObservations) {
    long n = count + 1;
    double m = mean + (x - mean) / n;
    double s = sum + x;
    PageHinkley next = new PageHinkley(n, m, s, count == 0 ? at : first,
        rise.add(x - m - delta, true, n, s, at), drop.add(x - m + delta, false, n, s, at));
    if (n < minObservations) {
      return new Step(next, Optional.empty());
    }
    double riseStatistic = next.rise.cumulative - next.rise.extremum;
    double dropStatistic = next.drop.extremum - next.drop.cumulative;
    if (dropStatistic > threshold && dropStatistic >= riseStatistic) {
      return new Step(start(), Optional.of(next.detection(Direction.DROP, dropStatistic, next.drop, at)));
    }
    if (riseStatistic > threshold) {
      return new Step(start(), Optional.of(next.detection(Direction.RISE, riseStatistic, next.rise, at)));
    }
    return new Step(next, Optional.empty());
  }

  private Detection detection(Direction direction, double statistic, Side side, ScoreRef at) {
    long after = count - side.extremumCount;
    return new Detection(direction, statistic, side.extremumSum / side.extremumCount,
        (sum - side.extremumSum) / after, side.extremumCount, after, first, side.changeStart, at);
  }
}
