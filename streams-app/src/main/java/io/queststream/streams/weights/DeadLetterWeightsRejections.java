package io.queststream.streams.weights;

import io.queststream.schemas.deadletters.DeadLetterFit;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes weights rejections to the dead-letter topic: key = model name, no value (the record stays in the
 * weights topic at the position named by the headers), cause in the usual dead-letter headers with the failed check
 * as reason (BAD_SIGNATURE, VERSION_NOT_NEWER, ...). The global thread is not transactional, so a restart that
 * re-reads the weights topic may publish a rejection again.
 */
public final class DeadLetterWeightsRejections implements WeightsRejectionListener {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWeightsRejections.class);
  private final Producer<byte[], byte[]> producer;
  private final String deadLetterTopic;
  private final int deadLetterLimit;

  public DeadLetterWeightsRejections(Producer<byte[], byte[]> producer, String deadLetterTopic,
      int deadLetterLimit) {
    this.producer = producer;
    this.deadLetterLimit = deadLetterLimit;
    this.deadLetterTopic = deadLetterTopic;
  }

  @Override
  public void rejected(WeightsRejection r) {
    var cause = DeadLetterHeaders.Cause.of(DeadLetterKind.WEIGHTS, r.reason().name(), r.message());
    var source = r.topic() == null ? null : new DeadLetterHeaders.Source(r.topic(), r.partition(), r.offset());
    // The key comes from the weights record, as long as its topic allows: cut to fit like every dead letter.
    ProducerRecord<byte[], byte[]> record = DeadLetterFit.fit(new ProducerRecord<>(deadLetterTopic, null, null,
        r.modelName().getBytes(StandardCharsets.UTF_8), null, DeadLetterHeaders.build(cause, source)),
        deadLetterLimit);
    producer.send(record, (meta, e) -> {
      if (e != null) {
        LOG.error("Could not publish the rejection of weights {} v{}", r.modelName(), r.version(), e);
      }
    });
  }
}
