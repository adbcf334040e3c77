package io.queststream.schemas.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.deadletters.DeadLetterLimit.UnreachableClusterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter limit as the cluster answers it: a cluster that does not answer is waited for, never guessed at,
 * since a guess above the topic's real limit has the broker refuse every dead letter.
 */
class DeadLetterLimitTest {

  private static final Map<String, Object> PRODUCER = Map.of("max.request.size", "2097152");

  private final List<Duration> pauses = new ArrayList<>();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  /** Fails the first {@code failures} lookups as an unreachable cluster would, then answers {@code answer}. */
  private static DeadLetterLimit.TopicLimitLookup unreachableFor(int failures, OptionalInt answer) {
    int[] calls = {0};
    return () -> {
      if (calls[0]++ < failures) {
        throw new UnreachableClusterException("no answer in 30 s", null);
      }
      return answer;
    };
  }

  @Test
  void anUnreachableClusterIsAskedAgainWithGrowingPausesUntilItAnswers() {
    int limit = DeadLetterLimit.resolve(unreachableFor(7, OptionalInt.of(262_144)), "dlq", PRODUCER, pauses::add);

    assertThat(limit).isEqualTo(262_144);
    assertThat(pauses).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
  }

  @Test
  void theProducersRequestLimitCapsTheTopicsLimit() {
    assertThat(DeadLetterLimit.resolve(unreachableFor(0, OptionalInt.of(8_388_608)), "dlq", PRODUCER, pauses::add))
        .isEqualTo(2_097_152);
    assertThat(pauses).isEmpty();
  }

  @Test
  void aTopicTheClusterHasNoAnswerForGetsKafkasDefaultAtOnce() {
    assertThat(DeadLetterLimit.resolve(unreachableFor(0, OptionalInt.empty()), "dlq", PRODUCER, pauses::add))
        .isEqualTo(DeadLetterLimit.KAFKA_DEFAULT);
    assertThat(pauses).isEmpty();
  }

  @Test
  void anInterruptDuringTheWaitEndsItWithKafkasDefaultAndKeepsTheInterrupt() {
    int limit = DeadLetterLimit.resolve(unreachableFor(Integer.MAX_VALUE, OptionalInt.of(262_144)), "dlq", PRODUCER,
        d -> {
          throw new InterruptedException();
        });

    assertThat(limit).isEqualTo(DeadLetterLimit.KAFKA_DEFAULT);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }
}
