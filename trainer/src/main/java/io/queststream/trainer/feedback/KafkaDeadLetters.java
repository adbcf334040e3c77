package io.queststream.trainer.feedback;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Forwards rejected feedback to the dead-letter topic with its original key and bytes, the cause and message in
 * headers (quest.error.cause, quest.error.message) and where it came from (quest.source.topic/partition/offset).
 */
public final class KafkaDeadLetters implements DeadLetters, AutoCloseable {

  public static final String CAUSE = "quest.error.cause";
  public static final String MESSAGE = "quest.error.message";

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  public KafkaDeadLetters(String topic, Map<String, Object> kafka) {
    this.topic = topic;
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public void reject(SourceRecord source, RejectionCause cause, String message) {
    RecordHeaders h = new RecordHeaders();
    h.add(CAUSE, cause.name().getBytes(StandardCharsets.UTF_8));
    h.add(MESSAGE, message.getBytes(StandardCharsets.UTF_8));
    h.add("quest.source.topic", source.topic().getBytes(StandardCharsets.UTF_8));
    h.add("quest.source.partition", Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
    h.add("quest.source.offset", Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
    producer.send(new ProducerRecord<>(topic, null, source.key(), source.value(), h));
  }

  /** Blocks until every rejection sent so far is acknowledged (before offsets are committed). */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
