package io.queststream.trainer.feedback;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroDeserializer;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.trainer.config.TrainerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes turn-embeddings, turn-ratings and turn-preferences as raw bytes, decodes them (undecodable records go to
 * the dead letters with their bytes), appends them to the feedback log, joins them, and commits offsets only after
 * the log is synced and dead letters are acknowledged: at-least-once delivery, deduplicated by id.
 */
public final class FeedbackService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackService.class);

  private final TrainerConfig config;
  private final FeedbackLog log;
  private final FeedbackJoiner joiner;
  private final KafkaDeadLetters deadLetters;
  private final DeadLetters rejections;
  private final FeedbackMeters metrics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Deserializer<? extends SpecificRecord>> decoders = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  public FeedbackService(TrainerConfig config, FeedbackLog log, FeedbackJoiner joiner, KafkaDeadLetters deadLetters,
      FeedbackMeters metrics) {
    this.config = config;
    this.log = log;
    this.joiner = joiner;
    this.deadLetters = deadLetters;
    this.rejections = metrics.counting(deadLetters);
    this.metrics = metrics;
    Map<String, Object> c = new HashMap<>(config.kafka());
    c.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "quest-trainer-" + config.modelName());
    // Static membership: a restarted trainer takes its partitions back at once instead of waiting out the dead
    // incarnation's session.
    c.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.trainerId());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    decoders.put(config.topic("embeddings"), decoder(TurnEmbedding.class));
    decoders.put(config.topic("ratings"), decoder(AttributeRating.class));
    RegistryAvroSerde<SpecificRecord> prefs = RegistryAvroSerde.anyOf(io.queststream.schemas.PreferencePair.class,
        io.queststream.schemas.Ranking.class);
    prefs.configure(config.serde(), false);
    decoders.put(config.topic("preferences"), prefs.deserializer());
  }

  private <T extends SpecificRecord> Deserializer<T> decoder(Class<T> type) {
    RegistryAvroDeserializer<T> d = new RegistryAvroDeserializer<>(type);
    d.configure(config.serde(), false);
    return d;
  }

  /**
   * Polls until {@link #stop()}; after every polled batch runs {@code afterBatch} on this thread (the retrain
   * trigger lives there).
   */
  public void run(Runnable afterBatch) {
    consumer.subscribe(List.of(config.topic("embeddings"), config.topic("ratings"), config.topic("preferences")));
    try {
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
        long now = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          handle(r, now);
        }
        joiner.expire(now);
        if (!batch.isEmpty()) {
          log.sync();
          deadLetters.flush();
          consumer.commitSync();
        }
        afterBatch.run();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r, long now) {
    metrics.feedbackConsumed(r.topic());
    SourceRecord source = new SourceRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value());
    SpecificRecord value;
    try {
      value = r.value() == null ? null : decoders.get(r.topic()).deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      rejections.reject(source, RejectionCause.UNDECODABLE, e.getMessage() == null ? e.toString() : e.getMessage());
      return;
    }
    if (value == null) {
      rejections.reject(source, RejectionCause.EMPTY_FEEDBACK, "record without a value");
      return;
    }
    try {
      log.append(value);
      joiner.onRecord(value, source, now);
    } catch (RuntimeException e) {
      LOG.error("feedback record {}-{}@{} could not be handled", r.topic(), r.partition(), r.offset(), e);
      rejections.reject(source, RejectionCause.UNEXPECTED_TYPE, e.toString());
    }
  }

  public void stop() {
    running.set(false);
    consumer.wakeup();
  }

  @Override
  public void close() {
    stop();
  }
}
