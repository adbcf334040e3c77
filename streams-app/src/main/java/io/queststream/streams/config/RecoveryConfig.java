package io.queststream.streams.config;

import java.time.Duration;

/**
 * How the app waits out a failing dependency and when it calls itself stalled.
 *
 * @param backoffInitial first wait before a stream thread stopped by a failing dependency is replaced
 * @param backoffMax longest such wait (the wait doubles per consecutive failure)
 * @param stallTimeout input waiting with nothing committed for this long reports a stall
 */
public record RecoveryConfig(Duration backoffInitial, Duration backoffMax, Duration stallTimeout) {}
