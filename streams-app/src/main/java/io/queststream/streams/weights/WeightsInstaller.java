package io.queststream.streams.weights;

import io.queststream.schemas.RewardHeads;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows the compacted reward-weights topic on the global thread, so every instance sees every version, and offers
 * each record to the {@link WeightsGate}: the scorer swaps heads atomically, so scoring never pauses and each batch
 * runs on one version and reports it. A rejected record keeps the running version. The global store keeps the last
 * installed record per key, from which a restarted instance reinstalls: the serving version under the model name
 * and, while one is shadowed, the candidate under the model's candidate key, which a tombstone removes.
 */
public final class WeightsInstaller implements Processor<String, RewardHeads, Void, Void> {

  private final String storeName;
  private final WeightsGate gate;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, RewardHeads> store;

  public WeightsInstaller(String storeName, WeightsGate gate) {
    this.storeName = storeName;
    this.gate = gate;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    try (KeyValueIterator<String, RewardHeads> it = store.all()) {
      it.forEachRemaining(kv -> gate.offer(gate.roleOf(kv.key), kv.key, kv.value, WeightsGate.Source.NONE));
    }
  }

  @Override
  public void process(Record<String, RewardHeads> record) {
    if (record.value() == null) {
      if (gate.roleOf(record.key()) == WeightsGate.Role.CANDIDATE) {
        gate.tombstone(record.key());
        store.delete(record.key());
      }
      return;
    }
    RecordMetadata m = context.recordMetadata().orElse(null);
    WeightsGate.Source source = m == null ? WeightsGate.Source.NONE
        : new WeightsGate.Source(m.topic(), m.partition(), m.offset());
    if (gate.offer(gate.roleOf(record.key()), record.key(), record.value(), source)
        == WeightsGate.Outcome.INSTALLED) {
      store.put(record.key(), record.value());
    }
  }
}
