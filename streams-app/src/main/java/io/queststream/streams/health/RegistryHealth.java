package io.queststream.streams.health;

import io.queststream.serde.registry.RegistryAvailability;
import io.queststream.serde.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The app's view of the schema registry, shared by every registry client it configures: failed calls mark the
 * registry failing, answered calls mark it working, and {@link #stop()} ends every waiting retry at once when the
 * app shuts down.
 */
public final class RegistryHealth implements RegistryAvailability {

  private final DependencyHealth health;
  private final CountDownLatch stopped = new CountDownLatch(1);

  public RegistryHealth(DependencyHealth health) {
    this.health = health;
  }

  @Override
  public void failed(SchemaRegistryException cause) {
    health.failing(new TransientFailure(Dependency.SCHEMA_REGISTRY,
        cause.kind() == SchemaRegistryException.Kind.NOT_AUTHORISED ? "not-authorised" : "unavailable",
        cause.getMessage()));
  }

  @Override
  public void answered() {
    health.recovered(Dependency.SCHEMA_REGISTRY);
  }

  @Override
  public boolean awaitRetry(Duration backoff) throws InterruptedException {
    return !stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void stop() {
    stopped.countDown();
  }
}
