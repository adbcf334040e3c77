package io.queststream.streams.health;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens after a stream thread died. When a dependency was at fault ({@link Failures}), the thread is
 * replaced: under exactly-once its open transaction is aborted and its tasks are closed without committing, so the
 * record it was on (and everything after the last commit) is read again from the committed offsets by the
 * replacement. Before that, the dying thread waits with exponential backoff until the dependency's probe succeeds
 * (or the backoff runs out), so that a long outage does not become a tight loop of rebalances. Any other failure
 * shuts the client down, as before: a deterministic bug is not retried forever, and the process exits for its
 * supervisor to see.
 *
 * <p>The global thread cannot be replaced (Kafka Streams shuts the client down instead), so its registry clients
 * retry until the registry answers and it never gets here for a registry outage.
 */
public final class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadRecovery.class);
  private static final Duration PROBE_EVERY = Duration.ofMillis(250);

  /** Waits, unless the app is stopping. */
  public interface Pause {
    /** @return false when the app is stopping */
    boolean sleep(Duration duration) throws InterruptedException;
  }

  private final DependencyHealth health;
  private final Map<Dependency, BooleanSupplier> probes;
  private final RecoveryBackoff backoff;
  private final Pause pause;
  private final LongSupplier clockMs;

  /**
   * @param probes per dependency, a check that it works again; a dependency without one is waited on for the whole
   *     backoff
   */
  public StreamThreadRecovery(DependencyHealth health, Map<Dependency, BooleanSupplier> probes,
      RecoveryBackoff backoff, Pause pause, LongSupplier clockMs) {
    this.health = health;
    this.probes = Map.copyOf(probes);
    this.backoff = backoff;
    this.pause = pause;
    this.clockMs = clockMs;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    Optional<TransientFailure> cause = Failures.transientCause(exception);
    if (cause.isEmpty()) {
      LOG.error("A stream thread died of a failure no dependency explains; shutting the client down", exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    if (Thread.currentThread().getName().endsWith("GlobalStreamThread")) {
      LOG.error("The global thread stopped while {} was failing; it cannot be replaced, shutting the client down",
          cause.get().dependency().tag(), exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.warn("Stream thread {} stopped because {} is failing; its uncommitted work is aborted and read again by a "
        + "new thread", Thread.currentThread().getName(), cause.get().dependency().tag());
    awaitRecovery(cause.get());
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /**
   * Records the failure and waits the next backoff, or less when the dependency's probe succeeds first. Also used
   * when Kafka Streams cannot even start (its stores cannot be opened on a full disk, say).
   *
   * @return false when the app is stopping and should not try again
   */
  public boolean awaitRecovery(TransientFailure failure) {
    health.failing(failure);
    Duration wait = backoff.afterFailure();
    LOG.warn("{} is failing ({}); trying again after at most {} ms: {}", failure.dependency().tag(), failure.cause(),
        wait.toMillis(), failure.description());
    BooleanSupplier probe = probes.get(failure.dependency());
    long deadline = clockMs.getAsLong() + wait.toMillis();
    try {
      for (long left = wait.toMillis(); left > 0; left = deadline - clockMs.getAsLong()) {
        if (probe != null && probe.getAsBoolean()) {
          health.recovered(failure.dependency());
          return true;
        }
        if (!pause.sleep(Duration.ofMillis(Math.min(left, PROBE_EVERY.toMillis())))) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
