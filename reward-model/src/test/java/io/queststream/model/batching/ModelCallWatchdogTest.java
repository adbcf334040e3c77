package io.queststream.model.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ModelCallWatchdogTest {

  private final AtomicReference<Optional<Duration>> longest = new AtomicReference<>(Optional.empty());
  private final ModelCallWatchdog watchdog = new ModelCallWatchdog(Duration.ofSeconds(300),
      "health.model-call-deadline-ms 300000", longest::get);

  @Test
  void noCallRunningIsNotHung() {
    assertThat(watchdog.hung()).isEmpty();
  }

  @Test
  void aCallJustShortOfTheDeadlineIsNotHung() {
    longest.set(Optional.of(Duration.ofSeconds(300).minusMillis(1)));

    assertThat(watchdog.hung()).isEmpty();
  }

  @Test
  void aCallAtTheDeadlineIsHungAndTheReasonSaysHowLongAndWhichSetting() {
    longest.set(Optional.of(Duration.ofSeconds(301)));

    assertThat(watchdog.hung()).hasValue("a model call has run for 301 s (health.model-call-deadline-ms 300000): "
        + "the backbone runtime or device looks wedged");
  }
}
