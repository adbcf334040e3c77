package io.queststream.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.schemas.ChatTurn;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Retries of registry calls, on a clock that only moves when the client waits: no test depends on real time. */
class RetryingSchemaRegistryClientTest {

  private static final Schema SCHEMA = ChatTurn.getClassSchema();
  private static final RegistryRetryPolicy UNTIL_ANSWERED =
      new RegistryRetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), null);

  /** Answers schemaById from a script: each entry is an exception to throw or null for "answer". */
  private static final class ScriptedRegistry implements SchemaRegistryClient {
    final Deque<SchemaRegistryException> failures = new ArrayDeque<>();
    int calls;

    ScriptedRegistry failing(int times, SchemaRegistryException.Kind kind) {
      for (int i = 0; i < times; i++) {
        failures.add(new SchemaRegistryException(kind, "attempt " + (failures.size() + 1) + " failed: " + kind));
      }
      return this;
    }

    @Override
    public Schema schemaById(int id) {
      calls++;
      SchemaRegistryException next = failures.poll();
      if (next != null) {
        throw next;
      }
      return SCHEMA;
    }

    @Override
    public int register(String subject, Schema schema) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int idOf(String subject, Schema schema) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> subjects() {
      throw new UnsupportedOperationException();
    }
  }

  /** Records what the client reports and advances the fake clock by each wait instead of sleeping. */
  private static final class RecordingAvailability implements RegistryAvailability {
    final List<SchemaRegistryException.Kind> failures = new ArrayList<>();
    final List<Duration> waits = new ArrayList<>();
    int answers;
    long nanos;
    boolean stopped;

    @Override
    public void failed(SchemaRegistryException cause) {
      failures.add(cause.kind());
    }

    @Override
    public void answered() {
      answers++;
    }

    @Override
    public boolean awaitRetry(Duration backoff) {
      if (stopped) {
        return false;
      }
      waits.add(backoff);
      nanos += backoff.toNanos();
      return true;
    }
  }

  private final RecordingAvailability availability = new RecordingAvailability();

  private RetryingSchemaRegistryClient client(ScriptedRegistry registry, RegistryRetryPolicy policy) {
    return new RetryingSchemaRegistryClient(registry, policy, availability, () -> availability.nanos);
  }

  @Test
  void retriesAnUnreachableRegistryWithDoublingBackoffCappedAtItsMaximumUntilItAnswers() {
    ScriptedRegistry registry = new ScriptedRegistry().failing(7, SchemaRegistryException.Kind.UNAVAILABLE);

    Schema answer = client(registry, UNTIL_ANSWERED).schemaById(4);

    assertThat(answer).isEqualTo(SCHEMA);
    assertThat(registry.calls).isEqualTo(8);
    assertThat(availability.waits).extracting(Duration::toMillis)
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
    assertThat(availability.failures).hasSize(7);
    assertThat(availability.answers).isEqualTo(1);
  }

  @Test
  void retriesRefusedCredentialsAndReportsEveryRefusal() {
    ScriptedRegistry registry = new ScriptedRegistry().failing(3, SchemaRegistryException.Kind.NOT_AUTHORISED);

    client(registry, UNTIL_ANSWERED).schemaById(4);

    assertThat(availability.failures).containsExactly(SchemaRegistryException.Kind.NOT_AUTHORISED,
        SchemaRegistryException.Kind.NOT_AUTHORISED, SchemaRegistryException.Kind.NOT_AUTHORISED);
    assertThat(registry.calls).isEqualTo(4);
  }

  @Test
  void givesUpWithTheLastFailureWhenTheNextWaitWouldPassTheBlockBound() {
    ScriptedRegistry registry = new ScriptedRegistry().failing(10, SchemaRegistryException.Kind.UNAVAILABLE);
    RegistryRetryPolicy oneSecond = new RegistryRetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2),
        Duration.ofSeconds(1));

    assertThatThrownBy(() -> client(registry, oneSecond).schemaById(4))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
        .hasMessage("attempt 4 failed: UNAVAILABLE");
    assertThat(availability.waits).extracting(Duration::toMillis).containsExactly(100L, 200L, 400L);
    assertThat(registry.calls).isEqualTo(4);
  }

  @Test
  void neverRetriesAFailureOfTheRequestItself() {
    ScriptedRegistry registry = new ScriptedRegistry().failing(1, SchemaRegistryException.Kind.NOT_FOUND);

    assertThatThrownBy(() -> client(registry, UNTIL_ANSWERED).schemaById(987_654))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
    assertThat(registry.calls).isEqualTo(1);
    assertThat(availability.waits).isEmpty();
    assertThat(availability.failures).isEmpty();
    assertThat(availability.answers).as("a 404 is an answer of a working registry").isEqualTo(1);
  }

  @Test
  void givesUpAtOnceWhenTheApplicationStopsRetrying() {
    ScriptedRegistry registry = new ScriptedRegistry().failing(5, SchemaRegistryException.Kind.UNAVAILABLE);
    availability.stopped = true;

    assertThatThrownBy(() -> client(registry, UNTIL_ANSWERED).schemaById(4))
        .isInstanceOf(SchemaRegistryException.class).hasMessage("attempt 1 failed: UNAVAILABLE");
    assertThat(registry.calls).isEqualTo(1);
  }

  @Test
  void aPlainClientRetriesNothingUnlessAskedTo() {
    Map<String, Object> url = Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, "http://localhost:1");

    assertThat(SchemaRegistryClients.create(url)).isInstanceOf(HttpSchemaRegistryClient.class);
    assertThat(SchemaRegistryClients.create(Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, "http://localhost:1",
        RegistryClientConfig.RETRY_MAX_BLOCK_MS, "-1"))).isInstanceOf(RetryingSchemaRegistryClient.class);
  }
}
