package io.queststream.streams.errors;

import io.queststream.streams.health.Failures;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a source record's bytes inside the topology rather than in the source node.
 *
 * <p>Why: Kafka Streams decodes a partition's next record as soon as the one before it is taken for processing, and
 * a record that does not decode gets its dead letter then, while the committed offset only passes it once a later
 * record is processed. A commit between the two holds the dead letter but not the offset, and a task that moves or
 * restarts before the next commit reads the record again and dead-letters it a second time. Decoded here, the dead
 * letter and the offset past the record are written by the same transaction.
 *
 * <p>Bytes that fail because a dependency is failing (the schema registry down or refusing the app) are not bad:
 * the exception propagates, the processing handler fails the thread without a dead letter, and the thread's
 * replacement decodes the record again.
 */
public final class DecodeStep<V> implements FixedKeyProcessor<String, byte[], DecodedValue<V>> {

  private static final Logger LOG = LoggerFactory.getLogger(DecodeStep.class);

  private final String topic;
  private final Deserializer<V> deserializer;
  private FixedKeyProcessorContext<String, DecodedValue<V>> context;

  public DecodeStep(String topic, Deserializer<V> deserializer) {
    this.topic = topic;
    this.deserializer = deserializer;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, DecodedValue<V>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    context.forward(record.withValue(decode(record)));
  }

  private DecodedValue<V> decode(FixedKeyRecord<String, byte[]> record) {
    byte[] bytes = record.value();
    if (bytes == null) {
      return DecodedValue.of(null);
    }
    try {
      return DecodedValue.of(deserializer.deserialize(topic, record.headers(), bytes));
    } catch (RuntimeException e) {
      if (Failures.isTransient(e)) {
        throw e;
      }
      String reason = UndecodableReason.of(e);
      LOG.warn("A record of {} at {} does not decode ({}); it goes to the dead-letter topic: {}", topic,
          context.recordMetadata().map(m -> m.partition() + "@" + m.offset()).orElse("an unknown position"), reason,
          e.getMessage());
      return DecodedValue.undecodable(bytes, new DeadLetterHeaders.Cause(DeadLetterKind.DESERIALIZATION, reason,
          e.getMessage(), e));
    }
  }
}
