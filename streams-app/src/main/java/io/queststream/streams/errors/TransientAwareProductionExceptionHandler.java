package io.queststream.streams.errors;

import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.streams.health.DependencyHealth;
import io.queststream.streams.health.Failures;
import io.queststream.streams.health.TransientFailure;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' default production handler (retry what Kafka can retry, otherwise fail with a dead letter of the
 * source record), except that an output that could not be serialized because the schema registry was unusable
 * fails the stream thread without a dead letter: the source record was good and is processed again by the thread's
 * replacement. Dead letters are cut to fit their topic, like the app's own.
 */
public class TransientAwareProductionExceptionHandler extends DefaultProductionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(TransientAwareProductionExceptionHandler.class);

  private DependencyHealth health;
  private int deadLetterLimit;

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    health = DependencyHealth.fromConfig(configs);
    deadLetterLimit = DeadLetterLimit.fromConfig(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
      Exception exception) {
    return fitted(super.handleError(context, record, exception));
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
      SerializationExceptionOrigin origin) {
    Optional<TransientFailure> dependency = Failures.transientCause(exception);
    if (dependency.isPresent()) {
      LOG.warn("An output to {} could not be serialized because {} is failing; its source {}-{}@{} is processed "
          + "again, not dead-lettered: {}", record.topic(), dependency.get().dependency().tag(), context.topic(),
          context.partition(), context.offset(), exception.getMessage());
      if (health != null) {
        health.failing(dependency.get());
      }
      return Response.fail();
    }
    return fitted(super.handleSerializationError(context, record, exception, origin));
  }

  private Response fitted(Response built) {
    var deadLetters = FittedDeadLetters.fit(built.deadLetterQueueRecords(), deadLetterLimit);
    return switch (built.result()) {
      case RESUME -> Response.resume(deadLetters);
      case FAIL -> Response.fail(deadLetters);
      case RETRY -> built;
    };
  }
}
