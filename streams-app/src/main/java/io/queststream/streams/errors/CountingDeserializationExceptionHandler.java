package io.queststream.streams.errors;

import io.queststream.streams.metrics.ScoringMetrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** Kafka Streams' log-and-continue handler (which writes the built-in dead letter), counted in the app's metrics. */
public class CountingDeserializationExceptionHandler extends LogAndContinueExceptionHandler {

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
    return super.handleError(context, record, exception);
  }
}
