package io.queststream.streams.health;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Names a model call that has run past its deadline. Such a call never gives its turns back: they are neither scored
 * nor dead-lettered, and the stream thread goes on committing its other work, so the stall check does not see it.
 * Nothing inside the process can end a native call, so the remedy is a restart: the turns' buffer entries are still
 * in the changelogged store, and the next owner of the task submits them again.
 */
public final class ModelCallWatchdog {

  private final Duration deadline;
  private final Supplier<Optional<Duration>> longestRunningCall;

  public ModelCallWatchdog(Duration deadline, Supplier<Optional<Duration>> longestRunningCall) {
    this.deadline = deadline;
    this.longestRunningCall = longestRunningCall;
  }

  /** Why the model counts as hung, or empty. */
  public Optional<String> hung() {
    return longestRunningCall.get().filter(d -> d.compareTo(deadline) >= 0)
        .map(d -> "a model call has run for " + d.toSeconds() + " s (health.model-call-deadline-ms "
            + deadline.toMillis() + "): the backbone runtime or device looks wedged");
  }
}
