package io.queststream.streams.config;

import io.queststream.config.ConfigException;
import java.time.Duration;

/**
 * When pending assistant turns are handed to the model, and how many a task may have there at once.
 *
 * @param maxSize most turns handed over together; a buffer this full is handed over at once
 * @param tokenBudget a buffer holding this many tokens is handed over at once
 * @param maxWait a turn is handed over after waiting this long even while the model's queue is busy
 * @param maxInFlight most turns one task has handed to the model and not yet got back; at the limit, turns wait in
 *     the buffer and the stream thread takes new input only as the model returns results (backpressure)
 * @param commitOnResults ask for a commit as soon as results are forwarded, so scores become visible without
 *     waiting out the commit interval
 */
public record BatchingConfig(int maxSize, int tokenBudget, Duration maxWait, int maxInFlight,
    boolean commitOnResults) {
  public BatchingConfig {
    if (maxSize < 1 || tokenBudget < 1 || maxWait.isNegative() || maxWait.isZero() || maxInFlight < 1) {
      throw new ConfigException("batching limits must be positive: " + maxSize + ", " + tokenBudget + ", " + maxWait
          + ", " + maxInFlight);
    }
  }
}
