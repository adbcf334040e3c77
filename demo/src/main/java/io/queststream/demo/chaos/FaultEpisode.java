package io.queststream.demo.chaos;

import java.time.Duration;
import java.util.Optional;

/**
 * One fault as it happened in a run.
 *
 * @param phase the label turns sent during the episode carry, e.g. {@code leader-kill#2}
 * @param injectedAtMs when the fault was injected (wall clock)
 * @param recovery from the injection until a turn sent at that moment was scored (read_committed); empty when it
 *     was not scored before the run ended
 * @param aimed whether the fault had to hit a moment (restoration, a rebalance, a failing disk being reported)
 * @param hit whether it did
 * @param attempts how many tries the aimed moment took
 * @param note what happened, for the run's log
 */
public record FaultEpisode(Fault fault, String phase, long injectedAtMs, Optional<Duration> recovery, boolean aimed,
    boolean hit, int attempts, String note) {}
