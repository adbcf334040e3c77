package io.queststream.serde.registry;

import java.time.Duration;

/**
 * Hears how registry calls go and paces their retries. An application hands one instance to every registry client
 * it configures (key {@value RegistryClientConfig#AVAILABILITY}) to learn when the registry stops answering (for
 * readiness and alerts) and to end every waiting retry at once when it shuts down.
 */
public interface RegistryAvailability {

  /** Sleeps between attempts and never stops them. */
  RegistryAvailability NONE = new RegistryAvailability() {
    @Override
    public void failed(SchemaRegistryException cause) {}

    @Override
    public void answered() {}
  };

  /** A call failed for a reason outside the request (unreachable, server error, refused credentials). */
  void failed(SchemaRegistryException cause);

  /** The registry answered a call (a "not found" is an answer too). */
  void answered();

  /**
   * Waits before the next attempt.
   *
   * @return false when retries are stopped (the application is shutting down): the call gives up at once
   */
  default boolean awaitRetry(Duration backoff) throws InterruptedException {
    Thread.sleep(backoff.toMillis());
    return true;
  }
}
