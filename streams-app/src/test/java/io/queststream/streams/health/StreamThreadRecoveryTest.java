package io.queststream.streams.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.api.ScoringException;
import io.queststream.model.batching.RejectedException;
import io.queststream.serde.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** The dying thread's waits run on a clock the pause moves: no real time passes. */
class StreamThreadRecoveryTest {

  private final AtomicLong clock = new AtomicLong(0);
  private final List<Duration> pauses = new ArrayList<>();
  private final DependencyHealth health = new DependencyHealth(new SimpleMeterRegistry(), clock::get);
  private final RecoveryBackoff backoff = new RecoveryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30),
      clock::get);
  private boolean stopping;

  private StreamThreadRecovery recovery(Map<Dependency, java.util.function.BooleanSupplier> probes) {
    return new StreamThreadRecovery(health, probes, backoff, d -> {
      if (stopping) {
        return false;
      }
      pauses.add(d);
      clock.addAndGet(d.toMillis());
      return true;
    }, clock::get);
  }

  private static StreamsException registryDown() {
    return new StreamsException("Deserialization exception handler is set to fail",
        new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE, "registry unreachable"));
  }

  @Test
  void aFailureNoDependencyExplainsShutsTheClientDown() {
    StreamThreadExceptionResponse response = recovery(Map.of()).handle(
        new StreamsException(new IllegalStateException("bug in a processor")));

    assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(health.reasons()).isEmpty();
    assertThat(pauses).isEmpty();
  }

  @Test
  void aRegistryOutageReplacesTheThreadAsSoonAsTheRegistryAnswersItsProbe() {
    AtomicInteger probes = new AtomicInteger();

    StreamThreadExceptionResponse response = recovery(Map.of(Dependency.SCHEMA_REGISTRY,
        () -> probes.incrementAndGet() == 3)).handle(registryDown());

    assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
    assertThat(health.isFailing(Dependency.SCHEMA_REGISTRY)).as("the probe's answer counts as recovery").isFalse();
  }

  @Test
  void withoutAProbeTheThreadWaitsOutItsBackoffWhichGrowsPerConsecutiveFailure() {
    StreamThreadRecovery handler = recovery(Map.of());
    StreamsException overloaded = new StreamsException(new ScoringException("queue full",
        new RejectedException("batcher queue stayed full")));

    handler.handle(overloaded);
    long first = pauses.stream().mapToLong(Duration::toMillis).sum();
    pauses.clear();
    StreamThreadExceptionResponse response = handler.handle(overloaded);
    long second = pauses.stream().mapToLong(Duration::toMillis).sum();

    assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(first).isEqualTo(2_000);
    assertThat(second).isEqualTo(4_000);
    assertThat(health.reasons()).singleElement().asString().startsWith("scorer failing (overloaded)");
  }

  @Test
  void aStoppingAppReplacesAtOnceWithoutWaiting() {
    stopping = true;

    assertThat(recovery(Map.of()).handle(registryDown())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(pauses).isEmpty();
  }

  @Test
  void theGlobalThreadCannotBeReplacedSoItsFailureShutsTheClientDown() throws Exception {
    AtomicReference<StreamThreadExceptionResponse> response = new AtomicReference<>();
    Thread global = new Thread(() -> response.set(recovery(Map.of()).handle(registryDown())),
        "quest-stream-scoring-GlobalStreamThread");
    global.start();
    global.join();

    assertThat(response.get()).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(pauses).isEmpty();
  }
}
