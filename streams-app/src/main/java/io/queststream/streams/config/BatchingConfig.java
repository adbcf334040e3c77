package io.queststream.streams.config;

import java.time.Duration;

/** When a micro-batch of pending assistant turns is flushed to the model. */
public record BatchingConfig(int maxSize, int tokenBudget, Duration maxWait) {
  public BatchingConfig {
    if (maxSize < 1 || tokenBudget < 1 || maxWait.isNegative() || maxWait.isZero()) {
      throw new ConfigException("batching limits must be positive: " + maxSize + ", " + tokenBudget + ", " + maxWait);
    }
  }
}
