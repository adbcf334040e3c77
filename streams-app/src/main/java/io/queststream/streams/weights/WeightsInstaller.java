package io.queststream.streams.weights;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.WeightsVersion;
import io.queststream.schemas.RewardHeads;
import io.queststream.streams.metrics.ScoringMetrics;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted reward-weights topic on the global thread, so every instance installs every version. The
 * scorer validates and swaps heads atomically: scoring never pauses, each batch runs on one version and reports it.
 * A rejected record keeps the running version; it is logged, counted and reported. The global store keeps the last
 * accepted record per model name, from which a restarted instance reinstalls.
 */
public final class WeightsInstaller implements Processor<String, RewardHeads, Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(WeightsInstaller.class);

  private final String storeName;
  private final RewardScorer scorer;
  private final Optional<String> modelName;
  private final ScoringMetrics metrics;
  private final WeightsRejectionListener rejections;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, RewardHeads> store;

  public WeightsInstaller(String storeName, RewardScorer scorer, Optional<String> modelName, ScoringMetrics metrics,
      WeightsRejectionListener rejections) {
    this.storeName = storeName;
    this.scorer = scorer;
    this.modelName = modelName;
    this.metrics = metrics;
    this.rejections = rejections;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    try (KeyValueIterator<String, RewardHeads> it = store.all()) {
      it.forEachRemaining(kv -> {
        if (wanted(kv.key)) {
          install(kv.value, null);
        }
      });
    }
  }

  @Override
  public void process(Record<String, RewardHeads> record) {
    if (record.value() == null || !wanted(record.key())) {
      return;
    }
    if (install(record.value(), context.recordMetadata().orElse(null))) {
      store.put(record.key(), record.value());
    }
  }

  private boolean wanted(String key) {
    return modelName.map(m -> m.equals(key)).orElse(true);
  }

  private boolean install(RewardHeads heads, RecordMetadata source) {
    try {
      WeightsVersion installed = scorer.installWeights(heads);
      metrics.weightsInstalled(installed);
      LOG.info("Installed reward weights {} v{} for backbone {}", installed.modelName(), installed.version(),
          installed.backboneId());
      return true;
    } catch (InvalidWeightsException e) {
      String running = scorer.currentWeights().map(v -> v.modelName() + " v" + v.version()).orElse("none");
      LOG.warn("Rejected reward weights {} v{}, keeping {}: {}", heads.getModelName(), heads.getVersion(), running,
          e.getMessage());
      metrics.weightsRejected();
      rejections.rejected(new WeightsRejection(heads.getModelName(), heads.getVersion(), e.getMessage(),
          source == null ? null : source.topic(), source == null ? -1 : source.partition(),
          source == null ? -1 : source.offset()));
      return false;
    }
  }
}
