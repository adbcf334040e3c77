package io.queststream.streams.moderation;

import io.queststream.schemas.deadletters.DeadLetterFit;
import io.queststream.streams.errors.DeadLetterCounter;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes refused moderation policies to the dead-letter topic: the original key and bytes, the cause in the usual
 * headers (kind policy, the failed check as reason), cut to fit the dead-letter topic. The global thread is not
 * transactional, so a restart that reads the policies topic again may publish a rejection again.
 */
public final class DeadLetterPolicyRejections implements PolicyRejectionListener {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPolicyRejections.class);
  private final Producer<byte[], byte[]> producer;
  private final String deadLetterTopic;
  private final DeadLetterCounter metrics;
  private final int deadLetterLimit;

  public DeadLetterPolicyRejections(Producer<byte[], byte[]> producer, String deadLetterTopic,
      DeadLetterCounter metrics, int deadLetterLimit) {
    this.producer = producer;
    this.deadLetterLimit = deadLetterLimit;
    this.deadLetterTopic = deadLetterTopic;
    this.metrics = metrics;
  }

  @Override
  public void rejected(PolicyRejection r) {
    LOG.warn("Moderation policy {} refused ({}): {}; the rules in force stay", r.key(), r.reason(), r.message());
    var cause = DeadLetterHeaders.Cause.of(DeadLetterKind.POLICY, r.reason().name(), r.message());
    var source = r.topic() == null ? null : new DeadLetterHeaders.Source(r.topic(), r.partition(), r.offset());
    byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
    // A policy record may be as large as its topic allows: cut to fit the dead-letter topic, or it would be refused.
    producer.send(DeadLetterFit.fit(new ProducerRecord<>(deadLetterTopic, null, null, key, r.value(),
        DeadLetterHeaders.build(cause, source)), deadLetterLimit), (meta, e) -> {
          if (e != null) {
            LOG.error("Could not publish the rejection of moderation policy {}", r.key(), e);
          }
        });
    metrics.deadLetter(DeadLetterKind.POLICY);
  }
}
