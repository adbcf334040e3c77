package io.queststream.trainer.feedback;

import io.queststream.schemas.deadletters.DeadLetterFit;
import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.trainer.publish.PublisherFencedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Rejected feedback for the dead-letter topic, with its original key and bytes, the cause and message in headers
 * (quest.error.cause, quest.error.message) and where it came from (quest.source.topic/partition/offset). A key over
 * 4 KiB, a message over 4 KiB and a value that would not fit the dead-letter topic are cut, the original lengths in
 * headers ({@link DeadLetterFit}).
 *
 * <p>Rejections are held until {@link #commit}, which writes them in one transaction with the consumer's offsets
 * past their records: a rejected record's dead letter and its offset are committed together or not at all, so a
 * record consumed again after a failure or a crash is dead-lettered once. Two kinds are held apart:
 * <ul>
 *   <li>rejections of the records just consumed, {@link #dropRecordRejections dropped} when those records are
 *       consumed again (validation gives the same rejections again);
 *   <li>expiries (feedback whose turns never came), kept until committed: no record consumed again brings them back.
 * </ul>
 */
public final class KafkaDeadLetters implements AutoCloseable {

  public static final String CAUSE = "quest.error.cause";
  public static final String MESSAGE = "quest.error.message";

  /** A dead letter waiting for its transaction; an expiry carries its feedback id, a record's rejection none. */
  private record Held(SourceRecord source, RejectionCause cause, String message, String expiredId) {}

  private final String topic;
  private final String transactionalId;
  private final Map<String, Object> kafka;
  private final DeadLetters committed;
  private final List<Held> recordRejections = new ArrayList<>();
  private final List<Held> expiries = new ArrayList<>();
  private KafkaProducer<byte[], byte[]> producer;
  private int limitBytes;

  /**
   * @param transactionalId stable across restarts, so that a restarted trainer aborts what its dead incarnation left
   *     open
   * @param committed told of every dead letter once it is committed (the metrics count there)
   */
  public KafkaDeadLetters(String topic, String transactionalId, Map<String, Object> kafka, DeadLetters committed) {
    this.topic = topic;
    this.transactionalId = transactionalId;
    this.kafka = Map.copyOf(kafka);
    this.committed = committed;
  }

  /** Where rejections of the records being consumed go (held until {@link #commit}). */
  public DeadLetters records() {
    return (source, cause, message) -> recordRejections.add(new Held(source, cause, message, null));
  }

  /** Holds expired feedback's UNKNOWN_TURN dead letters until they are committed. */
  public void expired(List<Expiry> expired) {
    for (Expiry e : expired) {
      expiries.add(new Held(e.source(), RejectionCause.UNKNOWN_TURN, e.message(), e.feedbackId()));
    }
  }

  /** Whether any dead letter waits to be committed. */
  public boolean holdsAny() {
    return !recordRejections.isEmpty() || !expiries.isEmpty();
  }

  /** The records whose rejections are held will be consumed again: their rejections will be made again. */
  public void dropRecordRejections() {
    recordRejections.clear();
  }

  /**
   * Writes every held dead letter and the consumer's offsets in one transaction.
   *
   * @return the ids of the expired feedback committed with it
   * @throws DependencyFailure when the transaction failed: whether it was committed is then settled by
   *     {@link #reopen} and the group's committed offsets
   * @throws PublisherFencedException when another trainer with the same id took the transactional id over
   */
  public List<String> commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
    try {
      KafkaProducer<byte[], byte[]> p = producer();
      p.beginTransaction();
      for (Held h : recordRejections) {
        p.send(record(h));
      }
      for (Held h : expiries) {
        p.send(record(h));
      }
      if (!offsets.isEmpty()) {
        p.sendOffsetsToTransaction(offsets, group);
      }
      p.commitTransaction();
    } catch (KafkaException e) {
      // Aborted, or in doubt (a commit that timed out may still complete): a new producer under the same id settles
      // it before anything else is written.
      discardProducer();
      throw fencedOr(e);
    }
    return landed();
  }

  /**
   * The error as a fencing when another producer took the id (brokers on transactions v2 (KIP-890) report that on
   * the produce request as InvalidProducerEpochException, which the commit then carries as its cause).
   */
  private RuntimeException fencedOr(KafkaException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
          || t instanceof FencedInstanceIdException) {
        return new PublisherFencedException(transactionalId, topic, e);
      }
    }
    return DependencyFailure.ofKafka(e);
  }

  /**
   * Before each poll, and after a failed {@link #commit}: starts a producer under the transactional id unless one
   * holds it, which completes or aborts the transaction left open by a failed commit or a dead incarnation.
   */
  public void reopen() {
    try {
      producer();
    } catch (KafkaException e) {
      discardProducer();
      throw fencedOr(e);
    }
  }

  /** The transaction that failed was committed after all: forgets what it held, returns the expired ids. */
  public List<String> landed() {
    for (Held h : recordRejections) {
      committed.reject(h.source(), h.cause(), h.message());
    }
    for (Held h : expiries) {
      committed.reject(h.source(), h.cause(), h.message());
    }
    List<String> ids = expiries.stream().map(Held::expiredId).toList();
    recordRejections.clear();
    expiries.clear();
    return ids;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Map<String, Object> p = new HashMap<>(kafka);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(p, new ByteArraySerializer(),
          new ByteArraySerializer());
      try {
        created.initTransactions();
      } catch (RuntimeException e) {
        created.close(Duration.ZERO);
        throw e;
      }
      producer = created;
    }
    return producer;
  }

  private void discardProducer() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  /**
   * The dead letter of a held rejection, cut to fit the dead-letter topic ({@link DeadLetterFit}; the source position
   * names the whole record): a dead letter the broker refuses would fail every transaction after it, and feedback
   * would wait for ever.
   */
  private ProducerRecord<byte[], byte[]> record(Held h) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(CAUSE, h.cause().name().getBytes(StandardCharsets.UTF_8));
    headers.add(MESSAGE, h.message().getBytes(StandardCharsets.UTF_8));
    SourceRecord source = h.source();
    headers.add("quest.source.topic", source.topic().getBytes(StandardCharsets.UTF_8));
    headers.add("quest.source.partition", Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add("quest.source.offset", Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
    return DeadLetterFit.fit(new ProducerRecord<>(topic, null, source.key(), source.value(), headers), limitBytes());
  }

  /** The largest record the topic and this producer take, asked of the cluster once. */
  private int limitBytes() {
    if (limitBytes == 0) {
      try (Admin admin = Admin.create(kafka)) {
        limitBytes = DeadLetterLimit.resolve(admin, topic, kafka);
      }
    }
    return limitBytes;
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
