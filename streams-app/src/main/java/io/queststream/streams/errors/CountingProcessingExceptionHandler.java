package io.queststream.streams.errors;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/** Kafka Streams' log-and-continue processing handler (built-in dead letter), counted in the app's metrics. */
public class CountingProcessingExceptionHandler extends LogAndContinueProcessingExceptionHandler {

  private DeadLetterCounter metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    metrics = DeadLetterCounter.fromConfig(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (metrics != null) {
      metrics.deadLetter(DeadLetterKind.PROCESSING);
    }
    return super.handleError(context, record, exception);
  }
}
