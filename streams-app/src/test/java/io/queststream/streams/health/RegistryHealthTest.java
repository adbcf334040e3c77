package io.queststream.streams.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.serde.registry.SchemaRegistryException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryHealthTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final DependencyHealth health = new DependencyHealth(meters);
  private final RegistryHealth registry = new RegistryHealth(health);

  @Test
  void refusedCredentialsAreAnAlertingStateUntilTheRegistryAnswersAgain() {
    registry.failed(new SchemaRegistryException(SchemaRegistryException.Kind.NOT_AUTHORISED,
        "fetch schema id 4: registry at http://registry answered 401 not authorised"));

    assertThat(health.reasons()).singleElement().asString().startsWith("schema-registry failing (not-authorised)")
        .endsWith("answered 401 not authorised");
    assertThat(meters.get("quest.dependency.up").tag("dependency", "schema-registry").gauge().value()).isZero();
    assertThat(meters.get("quest.transient.failures").tag("cause", "not-authorised").counter().count())
        .isEqualTo(1);

    registry.answered();

    assertThat(health.reasons()).isEmpty();
  }

  @Test
  void stoppingEndsEveryRetryAtOnce() throws InterruptedException {
    registry.stop();

    assertThat(registry.awaitRetry(Duration.ofDays(1))).isFalse();
  }
}
