package io.queststream.streams.config;

import io.queststream.config.ConfigException;
import java.time.Duration;

/**
 * How the app waits out a failing dependency, when it calls itself stalled, and when a model call counts as hung.
 *
 * @param backoffInitial first wait before a stream thread stopped by a failing dependency is replaced
 * @param backoffMax longest such wait (the wait doubles per consecutive failure)
 * @param stallTimeout input waiting with nothing committed for this long reports a stall
 * @param modelCallDeadline a model call running this long counts as hung: the app is no longer live and stops
 * @param modelCallAttempts hand-overs a turn may have whose outcome the process never saw; the next one is refused
 */
public record RecoveryConfig(Duration backoffInitial, Duration backoffMax, Duration stallTimeout,
    Duration modelCallDeadline, int modelCallAttempts) {
  public RecoveryConfig {
    if (modelCallAttempts < 1) {
      throw new ConfigException("health.model-call-attempts must be at least 1, was " + modelCallAttempts);
    }
  }
}
