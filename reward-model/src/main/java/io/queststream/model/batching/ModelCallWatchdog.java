package io.queststream.model.batching;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names a model call that has run past its deadline. Nothing inside the process can end a native call that never
 * returns (a wedged runtime or device), and its requests never complete, so the caller's remedy is to end the
 * process: the streams app stops for a restart (its turns are still in the changelogged buffer), the trainer's batch
 * commands exit with an error instead of waiting for ever.
 */
public final class ModelCallWatchdog {

  private final Duration deadline;
  private final String deadlineSetting;
  private final Supplier<Optional<Duration>> longestRunningCall;

  /** @param deadlineSetting the setting and value that set the deadline, as the reason names it */
  public ModelCallWatchdog(Duration deadline, String deadlineSetting,
      Supplier<Optional<Duration>> longestRunningCall) {
    this.deadline = deadline;
    this.deadlineSetting = deadlineSetting;
    this.longestRunningCall = longestRunningCall;
  }

  /** Why the model counts as hung, or empty. */
  public Optional<String> hung() {
    return longestRunningCall.get().filter(d -> d.compareTo(deadline) >= 0)
        .map(d -> "a model call has run for " + d.toSeconds() + " s (" + deadlineSetting
            + "): the backbone runtime or device looks wedged");
  }
}
