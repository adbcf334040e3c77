package io.queststream.streams.errors;

import io.queststream.streams.metrics.ScoringMetrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' log-and-continue handler (which writes the built-in dead letter), counted in the app's metrics.
 *
 * <p>Records of global topics (reward-weights, character-cards) are logged, counted and skipped without a dead
 * letter: Kafka Streams 4.3 cannot send dead letters from the global thread (it fails with a ClassCastException and
 * the client shuts down), and a restarted instance would re-read the same record and die again.
 */
public class CountingDeserializationExceptionHandler extends LogAndContinueExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CountingDeserializationExceptionHandler.class);

  private ScoringMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    metrics = ScoringMetrics.fromConfig(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (metrics != null) {
      metrics.deadLetter(DeadLetterKind.DESERIALIZATION);
    }
    if (context.taskId() == null || context.taskId().subtopology() < 0) {
      LOG.warn("Skipped an undecodable record of global topic {} (partition {}, offset {}): {}", record.topic(),
          record.partition(), record.offset(), exception.getMessage());
      return Response.resume();
    }
    return super.handleError(context, record, exception);
  }
}
