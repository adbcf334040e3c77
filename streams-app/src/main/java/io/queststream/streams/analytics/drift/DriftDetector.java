package io.queststream.streams.analytics.drift;

import io.queststream.schemas.DriftAlert;
import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import io.queststream.streams.analytics.observation.DimensionKey;
import io.queststream.streams.analytics.observation.Observation;
import io.queststream.streams.config.DriftConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs one Page-Hinkley test per attribute over the scores of each policy model and character (the record key),
 * in the order they reach this partition, and forwards an alert for each change found. The detectors live in a
 * changelogged store and are written in the same transaction as the alerts they raise, so a restart resumes every
 * test where the last commit left it and an alert is neither lost nor repeated. Keys idle for the configured time
 * are dropped by a wall-clock punctuator, so the store stays bounded however many characters come and go.
 */
public final class DriftDetector implements FixedKeyProcessor<String, Observation, DriftAlert> {

  private final String storeName;
  private final DriftConfig config;
  private final AnalyticsMetrics metrics;
  private FixedKeyProcessorContext<String, DriftAlert> context;
  private KeyValueStore<String, KeyDetectors> store;

  public DriftDetector(String storeName, DriftConfig config, AnalyticsMetrics metrics) {
    this.storeName = storeName;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, DriftAlert> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    context.schedule(config.expiryScanInterval(), PunctuationType.WALL_CLOCK_TIME, this::expireIdle);
  }

  @Override
  public void process(FixedKeyRecord<String, Observation> record) {
    DimensionKey key = DimensionKey.parse(record.key());
    Observation o = record.value();
    KeyDetectors detectors = Optional.ofNullable(store.get(record.key())).orElseGet(KeyDetectors::empty);
    Map<String, PageHinkley> next = new LinkedHashMap<>(detectors.attributes());
    for (Observation.AttributeValue a : o.attributes()) {
      PageHinkley.Step step = next.getOrDefault(a.attribute(), PageHinkley.start())
          .add(a.value(), o.ref(), config.delta(), config.threshold(), config.minObservations());
      next.put(a.attribute(), step.next());
      step.detection().ifPresent(d -> {
        metrics.driftAlert(key.dimension(), a.attribute(), d.direction().tag());
        context.forward(record.withValue(DriftAlerts.of(key, a.attribute(), d, config)));
      });
    }
    store.put(record.key(), new KeyDetectors(context.currentSystemTimeMs(), next));
  }

  private void expireIdle(long nowMs) {
    List<String> idle = new ArrayList<>();
    try (KeyValueIterator<String, KeyDetectors> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, KeyDetectors> kv = all.next();
        if (kv.value.idleSince(nowMs, config.idleExpiry().toMillis())) {
          idle.add(kv.key);
        }
      }
    }
    idle.forEach(store::delete);
    if (!idle.isEmpty()) {
      metrics.detectorsExpired(idle.size());
    }
  }
}
