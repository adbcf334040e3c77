package io.queststream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.RewardScorer;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A batch command's backbone call past its deadline ends the command, once, naming the setting. */
class BackboneCallGuardTest {

  private final AtomicReference<Optional<Duration>> longest = new AtomicReference<>(Optional.empty());
  private final List<String> reasons = new ArrayList<>();

  /** A scorer that only reports its longest running call; any other call is a test error. */
  private RewardScorer reporting() {
    return (RewardScorer) Proxy.newProxyInstance(RewardScorer.class.getClassLoader(),
        new Class<?>[] {RewardScorer.class}, (proxy, method, args) -> {
          if (method.getName().equals("longestRunningCall")) {
            return longest.get();
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aCallShortOfTheDeadlineLetsTheCommandGoOn() {
    try (BackboneCallGuard guard = new BackboneCallGuard(reporting(), Duration.ofSeconds(30), reasons::add, false)) {
      guard.check();
      longest.set(Optional.of(Duration.ofSeconds(29)));
      guard.check();
    }

    assertThat(reasons).isEmpty();
  }

  @Test
  void aCallPastTheDeadlineEndsTheCommandOnceWithTheSettingNamed() {
    try (BackboneCallGuard guard = new BackboneCallGuard(reporting(), Duration.ofSeconds(30), reasons::add, false)) {
      longest.set(Optional.of(Duration.ofSeconds(31)));
      guard.check();
      longest.set(Optional.of(Duration.ofSeconds(32)));
      guard.check();
    }

    assertThat(reasons).containsExactly("a model call has run for 31 s (backbone.call-deadline PT30S): the backbone "
        + "runtime or device looks wedged");
  }
}
