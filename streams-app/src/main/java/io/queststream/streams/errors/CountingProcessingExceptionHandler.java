package io.queststream.streams.errors;

import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.streams.health.DependencyHealth;
import io.queststream.streams.health.Failures;
import io.queststream.streams.health.TransientFailure;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' log-and-continue processing handler (built-in dead letter, cut to fit its topic), counted in the
 * app's metrics. An
 * exception a failing dependency explains (a full state directory under a store write, say; see {@link Failures})
 * fails the stream thread instead, without a dead letter: its replacement processes the record again.
 */
public class CountingProcessingExceptionHandler extends LogAndContinueProcessingExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CountingProcessingExceptionHandler.class);

  private DeadLetterCounter metrics;
  private DependencyHealth health;
  private int deadLetterLimit;

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    metrics = DeadLetterCounter.fromConfig(configs);
    health = DependencyHealth.fromConfig(configs);
    deadLetterLimit = DeadLetterLimit.fromConfig(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    Optional<TransientFailure> dependency = Failures.transientCause(exception);
    if (dependency.isPresent()) {
      LOG.warn("Processing {}-{}@{} failed because {} is failing; it is processed again, not dead-lettered: {}",
          context.topic(), context.partition(), context.offset(), dependency.get().dependency().tag(),
          exception.getMessage());
      if (health != null) {
        health.failing(dependency.get());
      }
      return Response.fail();
    }
    if (metrics != null) {
      metrics.deadLetter(DeadLetterKind.PROCESSING);
    }
    Response built = super.handleError(context, record, exception);
    return Response.resume(FittedDeadLetters.fit(built.deadLetterQueueRecords(), deadLetterLimit));
  }
}
