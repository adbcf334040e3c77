package io.queststream.streams.analytics;

import io.queststream.streams.analytics.observation.Observation;
import io.queststream.streams.analytics.observation.DimensionKey;
import io.queststream.streams.analytics.observation.Dimension;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads each record of a source topic as an {@link Observation} and forwards it once per dimension it belongs to (its
 * policy model, its character), keyed by {@link DimensionKey}. Records of a turn without a policy model or character
 * only count where they have one. Runs right after the source, where the record's topic position is known.
 */
public final class ObservationsByDimension<V> implements Processor<String, V, String, Observation> {

  /** Reads one record as an observation; null leaves the record out. */
  @FunctionalInterface
  public interface Reader<V> {
    Observation read(V value, RecordMetadata where, long timestamp);
  }

  private final Reader<V> reader;
  private final Function<V, String> policyModel;
  private final Function<V, String> characterId;
  private ProcessorContext<String, Observation> context;

  public ObservationsByDimension(Reader<V> reader, Function<V, String> policyModel,
      Function<V, String> characterId) {
    this.reader = reader;
    this.policyModel = policyModel;
    this.characterId = characterId;
  }

  @Override
  public void init(ProcessorContext<String, Observation> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, V> record) {
    RecordMetadata where = context.recordMetadata().orElseThrow();
    if (record.value() == null) {
      throw new IllegalArgumentException("the record at " + where.topic() + "-" + where.partition() + "@"
          + where.offset() + " has no value");
    }
    Observation o = reader.read(record.value(), where, record.timestamp());
    if (o == null) {
      return;
    }
    forward(record, Dimension.POLICY_MODEL, policyModel.apply(record.value()), o);
    forward(record, Dimension.CHARACTER, characterId.apply(record.value()), o);
  }

  private void forward(Record<String, V> record, Dimension dimension, String key, Observation o) {
    if (key != null && !key.isBlank()) {
      context.forward(record.withKey(new DimensionKey(dimension, key).toString()).withValue(o));
    }
  }
}
