package io.queststream.serde.registry;

import java.time.Duration;

/**
 * How a registry call that failed for a retriable reason ({@link SchemaRegistryException#retriable()}) is retried:
 * exponential backoff from {@code initialBackoff}, doubling up to {@code maxBackoff}, for at most {@code maxBlock}
 * in all.
 *
 * @param maxBlock how long one call may keep retrying; zero: never retry; null: until the registry answers or
 *     retries are stopped ({@link RegistryAvailability#awaitRetry})
 */
public record RegistryRetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxBlock) {

  public RegistryRetryPolicy {
    if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff must be positive and its maximum at least its start: "
          + initialBackoff + ", " + maxBackoff);
    }
  }

  public static RegistryRetryPolicy from(RegistryClientConfig config) {
    long block = config.getLong(RegistryClientConfig.RETRY_MAX_BLOCK_MS);
    return new RegistryRetryPolicy(Duration.ofMillis(config.getInt(RegistryClientConfig.RETRY_BACKOFF_MS)),
        Duration.ofMillis(config.getInt(RegistryClientConfig.RETRY_BACKOFF_MAX_MS)),
        block < 0 ? null : Duration.ofMillis(block));
  }

  public boolean retries() {
    return maxBlock == null || !maxBlock.isZero();
  }

  /** The backoff after {@code current}: doubled, at most the maximum. */
  Duration next(Duration current) {
    Duration doubled = current.multipliedBy(2);
    return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
  }

  /** Whether a call that has been retrying for {@code waited} may wait {@code backoff} more. */
  boolean mayWait(Duration waited, Duration backoff) {
    return maxBlock == null || waited.plus(backoff).compareTo(maxBlock) <= 0;
  }
}
