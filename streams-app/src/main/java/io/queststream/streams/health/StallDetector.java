package io.queststream.streams.health;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Notices when records wait and nothing is committed: input lag above zero and the committed offsets unchanged for
 * the stall timeout. A stall is what every silent failure looks like from outside (a dependency that fails in a way
 * nobody classified, a stuck thread, a paused instance), so it is reported on its own, whatever its cause.
 * Thread-safe.
 */
public final class StallDetector {

  private final Duration timeout;
  private final LongSupplier clockMs;
  private Map<TopicPartition, Long> committed = Map.of();
  private long lag;
  private long lastProgressMs;

  public StallDetector(Duration timeout, LongSupplier clockMs) {
    this.timeout = timeout;
    this.clockMs = clockMs;
    this.lastProgressMs = clockMs.getAsLong();
  }

  /**
   * Takes a sample of the committed offsets of the input partitions and the records waiting behind them.
   *
   * @return true when the sample shows progress: an offset moved, or nothing waits
   */
  public synchronized boolean observe(Map<TopicPartition, Long> committedOffsets, long inputLag) {
    boolean progressed = inputLag == 0 || !committedOffsets.equals(committed) && advanced(committedOffsets);
    committed = Map.copyOf(committedOffsets);
    lag = inputLag;
    if (progressed) {
      lastProgressMs = clockMs.getAsLong();
    }
    return progressed;
  }

  /** A commit that only drops partitions (moved to another instance) is not progress. */
  private boolean advanced(Map<TopicPartition, Long> now) {
    return now.entrySet().stream().anyMatch(e -> e.getValue() > committed.getOrDefault(e.getKey(), -1L));
  }

  /** Why processing counts as stalled, or empty. */
  public synchronized Optional<String> stall() {
    Duration idle = sinceProgress();
    if (lag > 0 && idle.compareTo(timeout) >= 0) {
      return Optional.of("stalled: " + lag + " input records wait and nothing was committed for "
          + idle.toSeconds() + " s (health.stall-timeout-ms " + timeout.toMillis() + ")");
    }
    return Optional.empty();
  }

  public synchronized Duration sinceProgress() {
    return Duration.ofMillis(Math.max(0, clockMs.getAsLong() - lastProgressMs));
  }

  public synchronized long lag() {
    return lag;
  }
}
