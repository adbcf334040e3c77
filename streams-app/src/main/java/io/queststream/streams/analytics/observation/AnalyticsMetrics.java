package io.queststream.streams.analytics.observation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Meters of the live analytics, on the app's registry. Counters of a record Kafka Streams processes again after a
 * crash count it again: metrics are not part of the exactly-once transaction, the output topics are.
 */
public final class AnalyticsMetrics {

  private final MeterRegistry registry;

  public AnalyticsMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One drift alert raised; the counter per dimension and attribute is created on first use. */
  public void driftAlert(Dimension dimension, String attribute, String direction) {
    Counter.builder("quest.drift.alerts").description("Drift alerts raised")
        .tags("dimension", dimension.tag(), "attribute", attribute, "direction", direction)
        .register(registry).increment();
  }

  public double driftAlerts(Dimension dimension, String attribute, String direction) {
    Counter c = registry.find("quest.drift.alerts")
        .tags("dimension", dimension.tag(), "attribute", attribute, "direction", direction).counter();
    return c == null ? 0 : c.count();
  }

  /** One preference record left out of the policy ratings, counted by the reason the decoder gives. */
  public void preferenceSkipped(Enum<?> reason) {
    Counter.builder("quest.analytics.preferences.skipped")
        .description("Preference records not counted in the policy ratings (the trainer dead-letters bad ones)")
        .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry).increment();
  }

  public void detectorsExpired(int count) {
    Counter.builder("quest.drift.detectors.expired")
        .description("Policy models and characters whose drift detectors were dropped after idling")
        .register(registry).increment(count);
  }

  public void selectionResolved() {
    countSelection("resolved");
  }

  /** A selection refused, counted by the reason its dead letter carries. */
  public void selectionRejected(Enum<?> reason) {
    countSelection(reason.name().toLowerCase(Locale.ROOT));
  }

  public double selections(String outcome) {
    Counter c = registry.find("quest.selections").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  public void selectionPair() {
    Counter.builder("quest.selection.pairs").description("Preference pairs derived from selections among regenerations")
        .register(registry).increment();
  }

  private void countSelection(String outcome) {
    Counter.builder("quest.selections").description("Selections among regenerations by outcome (resolved or the "
        + "reason it was dead-lettered)").tag("outcome", outcome).register(registry).increment();
  }
}
