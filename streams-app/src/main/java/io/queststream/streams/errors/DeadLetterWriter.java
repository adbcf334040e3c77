package io.queststream.streams.errors;

import io.queststream.schemas.deadletters.DeadLetterFit;
import io.queststream.schemas.deadletters.DeadLetterLimit;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes a record the app gave up on (a turn, a selection) to the dead-letter topic: the original key, the record as
 * its topic's serde writes it, the cause in headers (same names as Kafka Streams' built-in dead letters), cut to fit
 * the dead-letter topic ({@link DeadLetterFit}; the limit comes from the app's config, {@link DeadLetterLimit}).
 *
 * @param <V> what the processor receives
 * @param <R> the record it carries, as read from the source topic
 */
public final class DeadLetterWriter<V, R> implements Processor<String, V, byte[], byte[]> {

  private final Serializer<R> serializer;
  private final String sourceTopic;
  private final Function<V, R> original;
  private final Function<V, DeadLetterHeaders.Cause> cause;
  private final Function<V, DeadLetterHeaders.Source> knownSource;
  private final DeadLetterCounter metrics;
  private ProcessorContext<byte[], byte[]> context;
  private int limitBytes;

  /**
   * @param knownSource where the value says its record was read from, or null to take the position of the record
   *     being processed (values forwarded later, like buffered turns, know better than the context)
   */
  public DeadLetterWriter(Serializer<R> serializer, String sourceTopic, Function<V, R> original,
      Function<V, DeadLetterHeaders.Cause> cause, Function<V, DeadLetterHeaders.Source> knownSource,
      DeadLetterCounter metrics) {
    this.serializer = serializer;
    this.sourceTopic = sourceTopic;
    this.original = original;
    this.cause = cause;
    this.knownSource = knownSource;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.limitBytes = DeadLetterLimit.fromConfig(context.appConfigs());
  }

  @Override
  public void process(Record<String, V> record) {
    DeadLetterHeaders.Cause why = cause.apply(record.value());
    R value = original.apply(record.value());
    // Outputs of a punctuation carry no source position; the id in the value still identifies the record.
    DeadLetterHeaders.Source known = knownSource.apply(record.value());
    DeadLetterHeaders.Source source = known != null ? known : context.recordMetadata()
        .filter(m -> m.topic() != null)
        .map(m -> new DeadLetterHeaders.Source(m.topic(), m.partition(), m.offset()))
        .orElse(null);
    byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = value == null ? null : serializer.serialize(sourceTopic, value);
    DeadLetterFit.Fitted fitted = DeadLetterFit.fit(key, bytes, DeadLetterHeaders.build(why, source), limitBytes);
    context.forward(new Record<>(fitted.key(), fitted.value(), record.timestamp(), fitted.headers()));
    metrics.deadLetter(why.kind());
  }
}
