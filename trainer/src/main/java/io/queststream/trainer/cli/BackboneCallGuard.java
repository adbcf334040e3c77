package io.queststream.trainer.cli;

import io.queststream.model.api.RewardScorer;
import io.queststream.model.batching.ModelCallWatchdog;
import io.queststream.trainer.config.TrainerSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ends a batch command whose backbone call has run past {@code backbone.call-deadline}. Nothing inside the process
 * can end a native call that never returns (a wedged runtime or device), and the command would wait for it for ever,
 * holding its job slot and showing no error; exiting with {@link #EXIT_BACKBONE_HUNG} says what happened.
 */
final class BackboneCallGuard implements AutoCloseable {

  /** Exit status of a batch command whose backbone call hung. */
  static final int EXIT_BACKBONE_HUNG = 5;

  private final ModelCallWatchdog watchdog;
  private final Consumer<String> onHung;
  private final ScheduledExecutorService sampler;
  private boolean fired;

  BackboneCallGuard(RewardScorer scorer, Duration deadline, Consumer<String> onHung, boolean sampleEverySecond) {
    this.watchdog = new ModelCallWatchdog(deadline, TrainerSettings.BACKBONE_CALL_DEADLINE.key() + " " + deadline,
        scorer::longestRunningCall);
    this.onHung = onHung;
    this.sampler = sampleEverySecond ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "backbone-call-guard");
      t.setDaemon(true);
      return t;
    }) : null;
    if (sampler != null) {
      sampler.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
    }
  }

  /** Guards the scorer's calls for the command's lifetime: a hung call prints its reason and exits the JVM. */
  static BackboneCallGuard exitingWhenHung(RewardScorer scorer, Duration deadline) {
    return new BackboneCallGuard(scorer, deadline, reason -> {
      System.err.println("trainer: " + reason + "; exiting with status " + EXIT_BACKBONE_HUNG);
      System.exit(EXIT_BACKBONE_HUNG);
    }, true);
  }

  /** Acts once, on the first sample past the deadline. */
  synchronized void check() {
    if (fired) {
      return;
    }
    Optional<String> reason = watchdog.hung();
    if (reason.isPresent()) {
      fired = true;
      onHung.accept(reason.get());
    }
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
  }
}
