package io.queststream.trainer.feedback;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.serde.RegistryAvroDeserializer;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.publish.PublisherFencedException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes turn-embeddings, turn-ratings and turn-preferences as raw bytes, decodes and validates them, appends the
 * valid ones to the feedback log and joins them; records that cannot be used become dead letters with their bytes.
 * After each polled batch the log is synced, and then the batch's dead letters and the offsets past it are committed
 * in one transaction: a record is logged at least once (deduplicated by id) and dead-lettered exactly once.
 *
 * <p>When a dependency fails (the registry cannot decode a valid record, the disk under the log is full, the broker
 * does not take the transaction), nothing is dead-lettered for it: what was handled before the failure is kept (or,
 * if the log broke, cut back to its last sync), the consumer rewinds to the first record not committed, and it waits
 * with exponential backoff before it tries again. Meanwhile the trainer is not ready and says why.
 */
public final class FeedbackService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackService.class);
  private static final Duration REMIND_EVERY = Duration.ofMinutes(1);

  private final TrainerConfig config;
  private final FeedbackLog log;
  private final FeedbackJoiner joiner;
  private final KafkaDeadLetters deadLetters;
  private final DeadLetters rejections;
  private final FeedbackMeters metrics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Deserializer<? extends SpecificRecord>> decoders = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile Waiting waiting;
  private boolean logBroken;
  /** A transaction that failed and may still have been committed, with where its batch began. */
  private InDoubt inDoubt;
  /** Ids of the records appended to the log since its last sync. */
  private final Set<String> appendedSinceSync = new HashSet<>();
  /** Ids of records the joiner took whose append a recovery of the log cut back: they are appended again. */
  private final Set<String> cutFromLog = new HashSet<>();
  /** Expired feedback whose dead letters are committed but not yet recorded in the log. */
  private final List<String> unrecordedExpiries = new ArrayList<>();

  private record InDoubt(Map<TopicPartition, OffsetAndMetadata> offsets, Map<TopicPartition, Long> batchStarts) {}

  /** Feedback waits for a dependency: since when, the last failure, and when to try again. */
  private record Waiting(DependencyFailure failure, Instant since, int failures, Duration backoff,
      Instant lastReminder) {
    String reason() {
      return failure.dependency().tag + " failing since " + since + " (" + failures + " failures); feedback waits "
          + "and is consumed again: " + failure.getMessage();
    }
  }

  public FeedbackService(TrainerConfig config, FeedbackLog log, FeedbackJoiner joiner, KafkaDeadLetters deadLetters,
      FeedbackMeters metrics) {
    this.config = config;
    this.log = log;
    this.joiner = joiner;
    this.deadLetters = deadLetters;
    this.rejections = deadLetters.records();
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
        if (waiting != null && !backOffAndRecover()) {
          continue;
        }
        if (!holdTransactionalId()) {
          continue;
        }
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
        Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
        try {
          long now = System.currentTimeMillis();
          for (ConsumerRecord<byte[], byte[]> r : batch) {
            handle(r, now);
            handled.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          }
          deadLetters.expired(joiner.expire(now));
          if (!batch.isEmpty() || deadLetters.holdsAny()) {
            store(handled, batch);
            recovered();
          }
        } catch (DependencyFailure f) {
          rewind(f, batch, handled);
        }
        afterBatch.run();
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (FencedInstanceIdException e) {
      // Another trainer joined the group under this one's id (its static member id): the same takeover as on the
      // weights topic, and stopping is the answer there too.
      throw PublisherFencedException.ofConsumer(config.trainerId(), e);
    } finally {
      consumer.close();
    }
  }

  /**
   * Makes sure the dead-letter producer holds its transactional id before a poll (nothing to do while it does). At
   * start, a previous incarnation killed inside a transaction that carries the group's offsets leaves them pending,
   * and the broker answers the consumer's offset fetch with "unstable" until that transaction ends: taking the id
   * aborts it now, where otherwise the consumer would wait out the transaction timeout (a minute by default) before
   * it reads a record. False when the broker does not answer (the service then waits and tries again).
   */
  private boolean holdTransactionalId() {
    try {
      deadLetters.reopen();
      return true;
    } catch (DependencyFailure f) {
      waitFor(f);
      return false;
    }
  }

  /**
   * Syncs the log, then commits the held dead letters with {@code offsets} in one transaction; records the expiries
   * it committed in the log.
   */
  private void store(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerRecords<byte[], byte[]> batch) {
    try {
      log.sync();
      appendedSinceSync.clear();
    } catch (UncheckedIOException e) {
      throw DependencyFailure.ofDisk(e);
    }
    try {
      unrecordedExpiries.addAll(deadLetters.commit(offsets, consumer.groupMetadata()));
    } catch (DependencyFailure f) {
      inDoubt = new InDoubt(Map.copyOf(offsets), batchStarts(batch));
      throw f;
    }
    recordExpiries();
  }

  /**
   * Records committed expiries in the log, so that a replay does not expire them again. If the disk refuses, they
   * are tried again after the next commit; a crash before then dead-letters them a second time after the restart.
   */
  private void recordExpiries() {
    if (unrecordedExpiries.isEmpty()) {
      return;
    }
    try {
      log.markExpired(unrecordedExpiries);
      unrecordedExpiries.clear();
    } catch (UncheckedIOException e) {
      LOG.warn("{} expired feedback ids are committed to the dead letters but not yet recorded in the log; tried "
          + "again after the next commit: {}", unrecordedExpiries.size(), e.getMessage());
    }
  }

  private static Map<TopicPartition, Long> batchStarts(ConsumerRecords<byte[], byte[]> batch) {
    Map<TopicPartition, Long> starts = new HashMap<>();
    for (TopicPartition tp : batch.partitions()) {
      starts.put(tp, batch.records(tp).get(0).offset());
    }
    return starts;
  }

  private void handle(ConsumerRecord<byte[], byte[]> r, long now) {
    SourceRecord source = new SourceRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value());
    SpecificRecord value;
    try {
      value = r.value() == null ? null : decoders.get(r.topic()).deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      Optional<DependencyFailure> dependency = DependencyFailure.ofDecoding(e);
      if (dependency.isPresent()) {
        throw dependency.get();
      }
      metrics.feedbackConsumed(r.topic());
      rejections.reject(source, RejectionCause.UNDECODABLE, e.getMessage() == null ? e.toString() : e.getMessage());
      return;
    }
    metrics.feedbackConsumed(r.topic());
    if (value == null) {
      rejections.reject(source, RejectionCause.EMPTY_FEEDBACK, "record without a value");
      return;
    }
    Optional<Rejection> invalid = joiner.check(value);
    if (invalid.isPresent()) {
      rejections.reject(source, invalid.get().cause(), invalid.get().message());
      return;
    }
    // A record taken before is in the log already, unless it was appended after the log's last sync and cut back
    // with it: consumed again after a failed transaction it is not appended again, so an outage does not grow the log.
    String id = FeedbackJoiner.idOf(value);
    if (joiner.seen(id) && !cutFromLog.contains(id)) {
      return;
    }
    try {
      log.append(value);
      cutFromLog.remove(id);
      appendedSinceSync.add(id);
    } catch (UncheckedIOException e) {
      throw DependencyFailure.ofDisk(e);
    }
    try {
      joiner.onRecord(value, source, now);
    } catch (RuntimeException e) {
      LOG.error("feedback record {}-{}@{} could not be handled", r.topic(), r.partition(), r.offset(), e);
      rejections.reject(source, RejectionCause.UNEXPECTED_TYPE, e.toString());
    }
  }

  /**
   * Keeps what is safely stored and rewinds to the first record that is not: after a registry failure the records
   * handled before it are committed; after a disk failure the whole batch is consumed again (the joiner drops what
   * it has seen, validation rejects again what it rejected). After a failed transaction the consumer stays where it
   * is until {@link #settleInDoubt} has found out whether the transaction was committed.
   */
  private void rewind(DependencyFailure failure, ConsumerRecords<byte[], byte[]> batch,
      Map<TopicPartition, OffsetAndMetadata> handled) {
    waitFor(failure);
    Map<TopicPartition, OffsetAndMetadata> keep = Map.of();
    if (failure.dependency() == DependencyFailure.Dependency.DATA_DIRECTORY) {
      logBroken = true;
    } else if (failure.dependency() == DependencyFailure.Dependency.SCHEMA_REGISTRY && !handled.isEmpty()) {
      try {
        store(handled, batch);
        keep = handled;
      } catch (DependencyFailure f) {
        waitFor(f);
        logBroken |= f.dependency() == DependencyFailure.Dependency.DATA_DIRECTORY;
      }
    }
    if (inDoubt != null) {
      return;
    }
    deadLetters.dropRecordRejections();
    for (Map.Entry<TopicPartition, Long> start : batchStarts(batch).entrySet()) {
      OffsetAndMetadata kept = keep.get(start.getKey());
      consumer.seek(start.getKey(), kept != null ? kept.offset() : start.getValue());
    }
  }

  /**
   * A producer under the same transactional id completes or aborts the failed transaction; the group's committed
   * offsets then say which: at or past the transaction's offsets, it was committed (its dead letters are out), else
   * its records are consumed again from the committed offsets and their rejections made again. Expiries are kept
   * until committed; one committed in a transaction with no offsets cannot be told apart and is written again.
   */
  private void settleInDoubt() {
    deadLetters.reopen();
    Map<TopicPartition, OffsetAndMetadata> committed;
    Set<TopicPartition> partitions = new HashSet<>(inDoubt.batchStarts().keySet());
    partitions.addAll(inDoubt.offsets().keySet());
    try {
      committed = consumer.committed(partitions, Duration.ofSeconds(30));
    } catch (KafkaException e) {
      throw DependencyFailure.ofKafka(e);
    }
    boolean landed = !inDoubt.offsets().isEmpty() && inDoubt.offsets().entrySet().stream().allMatch(e -> {
      OffsetAndMetadata c = committed.get(e.getKey());
      return c != null && c.offset() >= e.getValue().offset();
    });
    if (landed) {
      LOG.info("the transaction that failed was committed: {}", inDoubt.offsets());
      unrecordedExpiries.addAll(deadLetters.landed());
      recordExpiries();
    } else {
      deadLetters.dropRecordRejections();
    }
    Set<TopicPartition> assigned = consumer.assignment();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata c = committed.get(tp);
      Long start = inDoubt.batchStarts().get(tp);
      if (assigned.contains(tp) && (c != null || start != null)) {
        consumer.seek(tp, c != null ? c.offset() : start);
      }
    }
    inDoubt = null;
  }

  private void waitFor(DependencyFailure failure) {
    Instant now = Instant.now();
    metrics.dependencyFailed(failure.dependency().tag);
    Waiting before = waiting;
    Duration backoff = before == null ? config.recoveryBackoffInitial()
        : min(before.backoff().multipliedBy(2), config.recoveryBackoffMax());
    if (before == null || before.failure().dependency() != failure.dependency()) {
      LOG.warn("{} is failing; feedback waits {} ms and is consumed again, nothing is dead-lettered: {}",
          failure.dependency().tag, backoff.toMillis(), failure.getMessage());
      waiting = new Waiting(failure, now, 1, backoff, now);
      return;
    }
    Instant reminded = before.lastReminder();
    if (Duration.between(reminded, now).compareTo(REMIND_EVERY) >= 0) {
      LOG.error("{} has been failing for {} s ({} failures); feedback waits: {}", failure.dependency().tag,
          Duration.between(before.since(), now).toSeconds(), before.failures() + 1, failure.getMessage());
      reminded = now;
    }
    waiting = new Waiting(failure, before.since(), before.failures() + 1, backoff, reminded);
  }

  /** Waits out the backoff (awake for stop()), then reopens a broken log; false when it must wait again. */
  private boolean backOffAndRecover() {
    long until = System.nanoTime() + waiting.backoff().toNanos();
    while (running.get() && System.nanoTime() < until) {
      try {
        Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.set(false);
      }
    }
    if (!running.get()) {
      return false;
    }
    if (logBroken) {
      try {
        log.recover();
        cutFromLog.addAll(appendedSinceSync);
        appendedSinceSync.clear();
        logBroken = false;
      } catch (UncheckedIOException e) {
        waitFor(DependencyFailure.ofDisk(e));
        return false;
      }
    }
    if (inDoubt != null) {
      try {
        settleInDoubt();
      } catch (DependencyFailure f) {
        waitFor(f);
        return false;
      }
    }
    return true;
  }

  private void recovered() {
    Waiting w = waiting;
    if (w != null) {
      LOG.info("{} works again after {} s and {} failures; feedback flows", w.failure().dependency().tag,
          Duration.between(w.since(), Instant.now()).toSeconds(), w.failures());
      metrics.dependencyRecovered(w.failure().dependency().tag);
      waiting = null;
    }
  }

  /** Why feedback waits, or empty while it flows. */
  public Optional<String> waitingReason() {
    Waiting w = waiting;
    return w == null ? Optional.empty() : Optional.of(w.reason());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
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
