package io.queststream.streams.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.config.ConfigException;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.BatchingConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchingLimitsTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final BatchingLimits limits = new BatchingLimits(AppConfig.defaults().batching(), registry);

  private double gauge(String limit) {
    return registry.get("quest.batch.limit").tag("limit", limit).gauge().value();
  }

  private double changes() {
    return registry.get("quest.batch.limit.changes").counter().count();
  }

  @Test
  void givenNewValues_thenTheyAreInForceAndTheGaugesShowThem() {
    BatchingConfig now = limits.change(Map.of("batch.max-size", "8", "batch.token-budget", "2048",
        "batch.max-wait-ms", "20", "batch.max-in-flight", "16"));

    assertThat(limits.get()).isEqualTo(now)
        .isEqualTo(new BatchingConfig(8, 2048, Duration.ofMillis(20), 16, true));
    assertThat(gauge("max_size")).isEqualTo(8.0);
    assertThat(gauge("token_budget")).isEqualTo(2048.0);
    assertThat(gauge("max_wait_ms")).isEqualTo(20.0);
    assertThat(gauge("max_in_flight")).isEqualTo(16.0);
    assertThat(changes()).isEqualTo(1.0);
  }

  @Test
  void givenSomeValues_thenTheOthersKeepTheirValue() {
    limits.change(Map.of("batch.max-wait-ms", "7"));

    assertThat(limits.get()).isEqualTo(new BatchingConfig(32, 8192, Duration.ofMillis(7), 64, true));
  }

  @Test
  void givenAKeyThatCannotChangeAtRunTime_thenNothingChanges() {
    assertThatThrownBy(() -> limits.change(Map.of("batch.max-size", "8", "batch.commit-on-results", "false")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("batch.commit-on-results cannot change while "
            + "the app runs; these can: batch.max-size, batch.token-budget, batch.max-wait-ms, batch.max-in-flight");

    assertThat(limits.get()).isEqualTo(AppConfig.defaults().batching());
    assertThat(gauge("max_size")).isEqualTo(32.0);
    assertThat(changes()).isZero();
  }

  @Test
  void givenAValueThatCannotBeUsed_thenTheErrorNamesItAndNothingChanges() {
    assertThatThrownBy(() -> limits.change(Map.of("batch.max-size", "8", "batch.max-wait-ms", "soon")))
        .isInstanceOf(ConfigException.class).hasMessage("batch.max-wait-ms must be an integer, was 'soon'");
    assertThatThrownBy(() -> limits.change(Map.of("batch.max-in-flight", "0")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("batching limits must be positive");

    assertThat(limits.get()).isEqualTo(AppConfig.defaults().batching());
    assertThat(changes()).isZero();
  }
}
