package io.queststream.streams.health;

import io.queststream.model.batching.RejectedException;
import io.queststream.serde.SerdeException;
import io.queststream.serde.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApplicationRecoverableException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Tells a failure of a dependency (transient: wait and read the record again) from a record that is bad in itself
 * (permanent: dead-letter it). Only the first is ever retried, only the second is ever dead-lettered; anything not
 * recognised below is permanent, so an unknown poison record cannot stall a partition forever.
 *
 * <ul>
 *   <li>a {@link SerdeException} or {@link SchemaRegistryException} that is retriable: the registry was unreachable,
 *       answered with a server error, or refused the client's credentials (401/403) — {@code schema-registry};
 *   <li>"No space left on device" or "Disk quota exceeded" from the file system or RocksDB — {@code state-directory};
 *   <li>a Kafka {@link RetriableException} (timeouts, no leader, not enough in-sync replicas) — {@code kafka};
 *   <li>a transaction the broker side no longer knows as the producer does (an invalid transaction state or producer
 *       epoch, a fenced producer, an abortable transaction, a lost sequence, an error code the producer's
 *       transaction manager has no case for), as a transaction coordinator fails over — {@code kafka}: the thread's
 *       replacement starts a new transaction from the committed offsets, and the brokers have either committed the
 *       old one completely or will abort it;
 *   <li>a {@link RejectedException} from the model's batcher (queue full for its submit timeout, or closed) —
 *       {@code scorer}. A turn too long for the backbone is refused by the tokenizer before it reaches the queue,
 *       so a rejection by the batcher never says anything about the turn.
 * </ul>
 *
 * The whole cause chain is searched: Kafka Streams wraps handler and store failures in its own exceptions, and the
 * scorer wraps the batcher's rejection in a {@code ScoringException}.
 */
public final class Failures {

  private static final int MAX_DEPTH = 32;
  private static final String TRANSACTION_MANAGER = "org.apache.kafka.clients.producer.internals.TransactionManager";

  private Failures() {}

  /** The dependency at fault, or empty when the failure must be taken as the record's. */
  public static Optional<TransientFailure> transientCause(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      Optional<TransientFailure> found = classify(t);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  public static boolean isTransient(Throwable failure) {
    return transientCause(failure).isPresent();
  }

  private static Optional<TransientFailure> classify(Throwable t) {
    if (t instanceof SerdeException e && e.retriable()) {
      return Optional.of(registry(e.reason() == SerdeException.Reason.REGISTRY_NOT_AUTHORISED, e.getMessage()));
    }
    if (t instanceof SchemaRegistryException e && e.retriable()) {
      return Optional.of(registry(e.kind() == SchemaRegistryException.Kind.NOT_AUTHORISED, e.getMessage()));
    }
    if (diskFull(t)) {
      return Optional.of(new TransientFailure(Dependency.STATE_DIRECTORY, "disk-full", t.getMessage()));
    }
    if (t instanceof RetriableException) {
      return Optional.of(kafka("broker", t));
    }
    if (t instanceof InvalidTxnStateException || t instanceof TransactionAbortableException
        || t instanceof ApplicationRecoverableException || t instanceof OutOfOrderSequenceException
        || thrownByTheTransactionManager(t)) {
      return Optional.of(kafka("transaction", t));
    }
    if (t instanceof RejectedException) {
      return Optional.of(new TransientFailure(Dependency.SCORER, "overloaded", t.getMessage()));
    }
    return Optional.empty();
  }

  /**
   * The producer's transaction manager turns an error code it has no case for into a plain KafkaException ("Unhandled
   * error in EndTxnResponse: ..."), e.g. when a transaction coordinator answers UNKNOWN_SERVER_ERROR during a
   * failover.
   */
  private static boolean thrownByTheTransactionManager(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    return t instanceof KafkaException && frames.length > 0
        && frames[0].getClassName().startsWith(TRANSACTION_MANAGER);
  }

  private static TransientFailure kafka(String cause, Throwable t) {
    return new TransientFailure(Dependency.KAFKA, cause, t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  private static TransientFailure registry(boolean refused, String message) {
    return new TransientFailure(Dependency.SCHEMA_REGISTRY, refused ? "not-authorised" : "unavailable", message);
  }

  private static boolean diskFull(Throwable t) {
    if (t instanceof RocksDBException e && e.getStatus() != null
        && e.getStatus().getSubCode() == Status.SubCode.NoSpace) {
      return true;
    }
    return (t instanceof IOException || t instanceof RocksDBException) && t.getMessage() != null
        && (t.getMessage().contains("No space left on device") || t.getMessage().contains("Disk quota exceeded"));
  }
}
