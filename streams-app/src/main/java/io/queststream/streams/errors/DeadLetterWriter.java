package io.queststream.streams.errors;

import io.queststream.schemas.ChatTurn;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Writes a turn the app gave up on to the dead-letter topic: the original key, the turn as the chat-turns serde
 * writes it, the cause in headers (same names as Kafka Streams' built-in dead letters).
 */
public final class DeadLetterWriter<V> implements Processor<String, V, byte[], byte[]> {

  private final Serializer<ChatTurn> turnSerializer;
  private final String sourceTopic;
  private final Function<V, ChatTurn> turn;
  private final Function<V, DeadLetterHeaders.Cause> cause;
  private final Function<V, DeadLetterHeaders.Source> knownSource;
  private final DeadLetterCounter metrics;
  private ProcessorContext<byte[], byte[]> context;

  /**
   * @param knownSource where the value says its turn was read from, or null to take the position of the record being
   *     processed (values forwarded later, like buffered turns, know better than the context)
   */
  public DeadLetterWriter(Serializer<ChatTurn> turnSerializer, String sourceTopic, Function<V, ChatTurn> turn,
      Function<V, DeadLetterHeaders.Cause> cause, Function<V, DeadLetterHeaders.Source> knownSource,
      DeadLetterCounter metrics) {
    this.turnSerializer = turnSerializer;
    this.sourceTopic = sourceTopic;
    this.turn = turn;
    this.cause = cause;
    this.knownSource = knownSource;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, V> record) {
    DeadLetterHeaders.Cause why = cause.apply(record.value());
    ChatTurn value = turn.apply(record.value());
    // Outputs of a punctuation carry no source position; the turn id in the value still identifies the record.
    DeadLetterHeaders.Source known = knownSource.apply(record.value());
    DeadLetterHeaders.Source source = known != null ? known : context.recordMetadata()
        .filter(m -> m.topic() != null)
        .map(m -> new DeadLetterHeaders.Source(m.topic(), m.partition(), m.offset()))
        .orElse(null);
    byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = value == null ? null : turnSerializer.serialize(sourceTopic, value);
    context.forward(new Record<>(key, bytes, record.timestamp(), DeadLetterHeaders.build(why, source)));
    metrics.deadLetter(why.kind());
  }
}
