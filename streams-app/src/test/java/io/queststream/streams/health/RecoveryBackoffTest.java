package io.queststream.streams.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecoveryBackoffTest {

  private final AtomicLong clock = new AtomicLong(0);
  private final RecoveryBackoff backoff = new RecoveryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), clock::get);

  @Test
  void doublesPerConsecutiveFailureUpToItsMaximum() {
    assertThat(backoff.afterFailure()).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.afterFailure()).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.afterFailure()).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.afterFailure()).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.afterFailure()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void startsOverAfterAQuietSpellOfTwiceTheMaximum() {
    backoff.afterFailure();
    backoff.afterFailure();
    clock.addAndGet(16_000);
    assertThat(backoff.afterFailure()).isEqualTo(Duration.ofSeconds(4));

    clock.addAndGet(16_001);

    assertThat(backoff.afterFailure()).isEqualTo(Duration.ofSeconds(1));
  }
}
