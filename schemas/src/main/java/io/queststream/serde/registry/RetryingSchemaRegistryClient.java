package io.queststream.serde.registry;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * Retries calls that failed because the registry could not be used (unreachable, server error, 401/403) with
 * exponential backoff, within the policy's bound; a call that failed because of the request itself (unknown id,
 * rejected schema) fails at once. Every failure and answer is reported to the {@link RegistryAvailability}.
 */
public final class RetryingSchemaRegistryClient implements SchemaRegistryClient {

  private final SchemaRegistryClient delegate;
  private final RegistryRetryPolicy policy;
  private final RegistryAvailability availability;
  private final LongSupplier nanoClock;

  public RetryingSchemaRegistryClient(SchemaRegistryClient delegate, RegistryRetryPolicy policy,
      RegistryAvailability availability) {
    this(delegate, policy, availability, System::nanoTime);
  }

  RetryingSchemaRegistryClient(SchemaRegistryClient delegate, RegistryRetryPolicy policy,
      RegistryAvailability availability, LongSupplier nanoClock) {
    this.delegate = delegate;
    this.policy = policy;
    this.availability = availability;
    this.nanoClock = nanoClock;
  }

  @Override
  public int register(String subject, Schema schema) {
    return call(() -> delegate.register(subject, schema));
  }

  @Override
  public int idOf(String subject, Schema schema) {
    return call(() -> delegate.idOf(subject, schema));
  }

  @Override
  public Schema schemaById(int id) {
    return call(() -> delegate.schemaById(id));
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return call(() -> delegate.isCompatible(subject, schema));
  }

  @Override
  public List<String> subjects() {
    return call(delegate::subjects);
  }

  @Override
  public String toString() {
    return delegate + " retrying " + policy;
  }

  private <T> T call(Supplier<T> request) {
    long started = nanoClock.getAsLong();
    Duration backoff = policy.initialBackoff();
    while (true) {
      try {
        T answer = request.get();
        availability.answered();
        return answer;
      } catch (SchemaRegistryException e) {
        if (!e.retriable()) {
          availability.answered();
          throw e;
        }
        availability.failed(e);
        if (!policy.mayWait(Duration.ofNanos(nanoClock.getAsLong() - started), backoff) || !awaitRetry(backoff)) {
          throw e;
        }
        backoff = policy.next(backoff);
      }
    }
  }

  private boolean awaitRetry(Duration backoff) {
    try {
      return availability.awaitRetry(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
