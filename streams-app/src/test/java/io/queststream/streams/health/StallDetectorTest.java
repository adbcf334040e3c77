package io.queststream.streams.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** On a clock the test moves: no real time passes. */
class StallDetectorTest {

  private static final TopicPartition P0 = new TopicPartition("chat-turns", 0);
  private static final TopicPartition P1 = new TopicPartition("chat-turns", 1);

  private final AtomicLong clock = new AtomicLong(0);
  private final StallDetector detector = new StallDetector(Duration.ofSeconds(60), clock::get);

  @Test
  void waitingInputWithNothingCommittedForTheTimeoutIsAStall() {
    detector.observe(Map.of(P0, 10L), 5);
    clock.addAndGet(59_999);
    detector.observe(Map.of(P0, 10L), 7);
    assertThat(detector.stall()).isEmpty();

    clock.addAndGet(1);

    assertThat(detector.stall()).hasValue(
        "stalled: 7 input records wait and nothing was committed for 60 s (health.stall-timeout-ms 60000)");
  }

  @Test
  void aCommitThatMovesAnOffsetEndsTheStall() {
    detector.observe(Map.of(P0, 10L, P1, 3L), 5);
    clock.addAndGet(90_000);
    assertThat(detector.stall()).isPresent();

    boolean progressed = detector.observe(Map.of(P0, 10L, P1, 4L), 5);

    assertThat(progressed).isTrue();
    assertThat(detector.stall()).isEmpty();
  }

  @Test
  void nothingWaitingIsNeverAStallHoweverLongNothingIsCommitted() {
    detector.observe(Map.of(P0, 10L), 0);
    clock.addAndGet(600_000);

    assertThat(detector.observe(Map.of(P0, 10L), 0)).isTrue();
    assertThat(detector.stall()).isEmpty();
  }

  @Test
  void losingAPartitionToAnotherInstanceIsNotProgress() {
    detector.observe(Map.of(P0, 10L, P1, 3L), 5);
    clock.addAndGet(30_000);

    assertThat(detector.observe(Map.of(P0, 10L), 5)).isFalse();
    clock.addAndGet(30_000);
    assertThat(detector.stall()).isPresent();
  }
}
