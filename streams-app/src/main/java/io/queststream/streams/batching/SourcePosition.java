package io.queststream.streams.batching;

import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a buffered turn was read from. Its outcome is forwarded later, inside another record's processing or a
 * punctuation, whose position is not the turn's: a dead letter names this one.
 */
public record SourcePosition(String topic, int partition, long offset) {

  static SourcePosition of(Optional<RecordMetadata> metadata) {
    return metadata.filter(m -> m.topic() != null)
        .map(m -> new SourcePosition(m.topic(), m.partition(), m.offset()))
        .orElse(null);
  }
}
