package io.queststream.streams.config;

import io.queststream.config.ConfigException;
import java.time.Duration;

/** How much of each conversation is kept as context, and for how long after it goes quiet. */
public record HistoryConfig(int maxTurns, int maxTokens, Duration idleExpiry, Duration expiryScanInterval) {
  public HistoryConfig {
    if (maxTurns < 1 || maxTokens < 1 || idleExpiry.isNegative() || idleExpiry.isZero()
        || expiryScanInterval.isNegative() || expiryScanInterval.isZero()) {
      throw new ConfigException("history limits must be positive");
    }
  }
}
