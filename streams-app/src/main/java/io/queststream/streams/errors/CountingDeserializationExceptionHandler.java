package io.queststream.streams.errors;

import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.streams.health.DependencyHealth;
import io.queststream.streams.health.Failures;
import io.queststream.streams.health.TransientFailure;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' log-and-continue handler (which writes the built-in dead letter), counted in the app's metrics,
 * for records that are bad in themselves. The apps' stream sources decode in the topology instead
 * ({@link DecodingSource}), so that a dead letter is committed with its offset; this handler covers what is left
 * (the global topics, and any source read with a decoding serde). A record that could not be read because a
 * dependency failed (the schema registry unreachable or refusing the app, see {@link Failures}) is not bad: the
 * handler fails the stream thread without a dead letter, and the thread's replacement reads the record again from
 * the committed offset.
 *
 * <p>Kafka Streams 4.3 cannot send dead letters from the global thread (it fails with a ClassCastException and the
 * client shuts down; a restarted instance re-reads the record and dies again). Undecodable records of global topics
 * (reward-weights, character-cards) therefore get their dead letter from a plain producer of this handler, outside
 * any transaction, like the weights rejections; the global thread goes on.
 */
public class CountingDeserializationExceptionHandler extends LogAndContinueExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CountingDeserializationExceptionHandler.class);

  private DeadLetterCounter metrics;
  private DependencyHealth health;
  private int deadLetterLimit;
  private Map<String, Object> producerConfig;
  private Producer<byte[], byte[]> globalDeadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    metrics = DeadLetterCounter.fromConfig(configs);
    health = DependencyHealth.fromConfig(configs);
    deadLetterLimit = DeadLetterLimit.fromConfig(configs);
    producerConfig = new HashMap<>(configs);
    producerConfig.remove(DeadLetterCounter.CONFIG_KEY);
    producerConfig.remove(DependencyHealth.CONFIG_KEY);
    producerConfig.remove(DeadLetterLimit.CONFIG_KEY);
    // producer.* keys (large-record limits for weights) apply to this producer as they do to the app's producers.
    configs.forEach((key, value) -> {
      if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
        producerConfig.put(key.substring(StreamsConfig.PRODUCER_PREFIX.length()), value);
      }
    });
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    Optional<TransientFailure> dependency = Failures.transientCause(exception);
    if (dependency.isPresent()) {
      LOG.warn("Record {}-{}@{} could not be read because {} is failing; it is read again, not dead-lettered: {}",
          record.topic(), record.partition(), record.offset(), dependency.get().dependency().tag(),
          exception.getMessage());
      if (health != null) {
        health.failing(dependency.get());
      }
      return Response.fail();
    }
    if (metrics != null) {
      metrics.deadLetter(DeadLetterKind.DESERIALIZATION);
    }
    Response built = super.handleError(context, record, exception);
    // The built-in dead letter names only the exception class; the app's kind and reason say what was wrong.
    built.deadLetterQueueRecords().forEach(r -> {
      r.headers().add(DeadLetterHeaders.KIND, DeadLetterKind.DESERIALIZATION.tag().getBytes(StandardCharsets.UTF_8));
      r.headers().add(DeadLetterHeaders.REASON, UndecodableReason.of(exception).getBytes(StandardCharsets.UTF_8));
    });
    Response response = Response.resume(FittedDeadLetters.fit(built.deadLetterQueueRecords(), deadLetterLimit));
    if (context.taskId() == null || context.taskId().subtopology() < 0) {
      response.deadLetterQueueRecords().forEach(r -> globalDeadLetters().send(r, (meta, e) -> {
        if (e != null) {
          LOG.error("Could not dead-letter the undecodable record {}-{}@{}", record.topic(), record.partition(),
              record.offset(), e);
        }
      }));
      return Response.resume();
    }
    return response;
  }

  private synchronized Producer<byte[], byte[]> globalDeadLetters() {
    if (globalDeadLetters == null) {
      globalDeadLetters = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return globalDeadLetters;
  }
}
