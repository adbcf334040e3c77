package io.queststream.streams.health;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Exponential backoff between attempts to process again after a dependency failed: {@code initial}, doubling per
 * failure up to {@code max}; a failure that comes more than twice the maximum after the previous one starts again
 * at {@code initial}. Thread-safe.
 */
public final class RecoveryBackoff {

  private final Duration initial;
  private final Duration max;
  private final LongSupplier clockMs;
  private Duration next;
  private long lastFailureMs = Long.MIN_VALUE;

  public RecoveryBackoff(Duration initial, Duration max, LongSupplier clockMs) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff must be positive and its maximum at least its start: " + initial
          + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.clockMs = clockMs;
    this.next = initial;
  }

  /** The wait before the next attempt, after one more failure. */
  public synchronized Duration afterFailure() {
    long now = clockMs.getAsLong();
    if (lastFailureMs != Long.MIN_VALUE && now - lastFailureMs > max.toMillis() * 2) {
      next = initial;
    }
    lastFailureMs = now;
    Duration wait = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }
}
