package io.queststream.streams.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.queststream.config.ConfigException;
import io.queststream.config.Setting;
import io.queststream.config.SettingValues;
import io.queststream.streams.config.BatchingConfig;
import io.queststream.streams.config.Settings;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batching limits in force. Every task reads them at each decision, so a change (from the admin endpoint)
 * applies to the next hand-over without a restart; the turns already with the model are not touched. Gauges
 * quest_batch_limit{limit=...} show the limits in force and quest_batch_limit_changes_total counts changes.
 */
public final class BatchingLimits implements Supplier<BatchingConfig> {

  private static final Logger LOG = LoggerFactory.getLogger(BatchingLimits.class);

  /** The settings that can change while the app runs. */
  public static final List<Setting> CHANGEABLE = List.of(Settings.BATCH_MAX_SIZE, Settings.BATCH_TOKEN_BUDGET,
      Settings.BATCH_MAX_WAIT_MS, Settings.BATCH_MAX_IN_FLIGHT);

  private volatile BatchingConfig current;
  private final Counter changes;

  public BatchingLimits(BatchingConfig initial, MeterRegistry registry) {
    this.current = initial;
    gauge(registry, "max_size", BatchingConfig::maxSize);
    gauge(registry, "token_budget", BatchingConfig::tokenBudget);
    gauge(registry, "max_wait_ms", c -> c.maxWait().toMillis());
    gauge(registry, "max_in_flight", BatchingConfig::maxInFlight);
    changes = Counter.builder("quest.batch.limit.changes").description("Changes of the batching limits at run time")
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String limit, ToDoubleFunction<BatchingConfig> value) {
    Gauge.builder("quest.batch.limit", this, l -> value.applyAsDouble(l.current))
        .description("Micro-batching limit in force").tag("limit", limit).register(registry);
  }

  @Override
  public BatchingConfig get() {
    return current;
  }

  /**
   * Sets some of the changeable limits, all or none.
   *
   * @param values new values by setting key (e.g. batch.max-size)
   * @return the limits now in force
   * @throws ConfigException naming a key that cannot change at run time or a value that cannot be used; the limits
   *     in force stay as they were
   */
  public synchronized BatchingConfig change(Map<String, String> values) {
    for (String key : values.keySet()) {
      if (CHANGEABLE.stream().noneMatch(s -> s.key().equals(key))) {
        throw new ConfigException(key + " cannot change while the app runs; these can: "
            + String.join(", ", CHANGEABLE.stream().map(Setting::key).toList()));
      }
    }
    Map<String, String> merged = new HashMap<>(asSettings(current));
    merged.putAll(values);
    SettingValues v = new SettingValues(merged);
    BatchingConfig next = new BatchingConfig(v.integer(Settings.BATCH_MAX_SIZE), v.integer(Settings.BATCH_TOKEN_BUDGET),
        v.positiveDuration(Settings.BATCH_MAX_WAIT_MS), v.integer(Settings.BATCH_MAX_IN_FLIGHT),
        current.commitOnResults());
    LOG.info("Batching limits changed from {} to {}", asSettings(current), asSettings(next));
    current = next;
    changes.increment();
    return next;
  }

  /** The changeable limits by setting key. */
  public static Map<String, String> asSettings(BatchingConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Settings.BATCH_MAX_SIZE.key(), Integer.toString(c.maxSize()));
    m.put(Settings.BATCH_TOKEN_BUDGET.key(), Integer.toString(c.tokenBudget()));
    m.put(Settings.BATCH_MAX_WAIT_MS.key(), Long.toString(c.maxWait().toMillis()));
    m.put(Settings.BATCH_MAX_IN_FLIGHT.key(), Integer.toString(c.maxInFlight()));
    return m;
  }
}
