package io.queststream.streams.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DependencyHealthTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final DependencyHealth health = new DependencyHealth(registry, clock::get);

  private double up(Dependency d) {
    return registry.get("quest.dependency.up").tag("dependency", d.tag()).gauge().value();
  }

  @Test
  void aFailingDependencyIsAReadinessReasonAndAZeroGaugeUntilItRecovers() {
    health.failing(new TransientFailure(Dependency.SCHEMA_REGISTRY, "not-authorised", "answered 401"));
    health.failing(new TransientFailure(Dependency.SCHEMA_REGISTRY, "not-authorised", "answered 401 again"));

    assertThat(health.reasons()).singleElement().asString()
        .startsWith("schema-registry failing (not-authorised) since ")
        .contains("2 failures")
        .endsWith("answered 401 again");
    assertThat(up(Dependency.SCHEMA_REGISTRY)).isZero();
    assertThat(up(Dependency.KAFKA)).isEqualTo(1);
    assertThat(registry.get("quest.transient.failures").tag("dependency", "schema-registry")
        .tag("cause", "not-authorised").counter().count()).isEqualTo(2);

    health.recovered(Dependency.SCHEMA_REGISTRY);

    assertThat(health.reasons()).isEmpty();
    assertThat(up(Dependency.SCHEMA_REGISTRY)).isEqualTo(1);
  }

  @Test
  void committedProgressClearsTheDependenciesWithoutASignalOfTheirOwnButNotTheRegistry() {
    health.failing(new TransientFailure(Dependency.KAFKA, "broker", "TimeoutException"));
    health.failing(new TransientFailure(Dependency.STATE_DIRECTORY, "disk-full", "No space left on device"));
    health.failing(new TransientFailure(Dependency.SCHEMA_REGISTRY, "unavailable", "connection refused"));

    health.progressed();

    assertThat(health.isFailing(Dependency.KAFKA)).isFalse();
    assertThat(health.isFailing(Dependency.STATE_DIRECTORY)).isFalse();
    assertThat(health.isFailing(Dependency.SCHEMA_REGISTRY)).isTrue();
  }
}
