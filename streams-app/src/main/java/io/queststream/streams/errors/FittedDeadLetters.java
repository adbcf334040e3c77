package io.queststream.streams.errors;

import io.queststream.schemas.deadletters.DeadLetterFit;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka Streams' built-in dead letters, cut to fit the dead-letter topic like the app's own ({@link DeadLetterFit}):
 * the handlers copy the failed record whole, and one the broker refused would doom the transaction holding its
 * offset.
 */
final class FittedDeadLetters {

  private FittedDeadLetters() {}

  static List<ProducerRecord<byte[], byte[]>> fit(List<ProducerRecord<byte[], byte[]>> records, int limitBytes) {
    return records.stream().map(r -> DeadLetterFit.fit(r, limitBytes)).toList();
  }
}
