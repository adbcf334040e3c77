package io.queststream.trainer.feedback;

import io.queststream.serde.SerdeException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;

/**
 * Feedback could not be taken because something the trainer depends on failed, not because the record is bad:
 * the schema registry (unreachable, server error, 401/403), the data directory (a full disk under the feedback log)
 * or the brokers. The records wait and are consumed again; they are never dead-lettered.
 */
final class DependencyFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What failed, as the tag of {@code quest_trainer_dependency_up}. */
  enum Dependency {
    SCHEMA_REGISTRY("schema-registry"), DATA_DIRECTORY("data-directory"), KAFKA("kafka");

    final String tag;

    Dependency(String tag) {
      this.tag = tag;
    }
  }

  private final Dependency dependency;

  DependencyFailure(Dependency dependency, String message, Throwable cause) {
    super(message, cause);
    this.dependency = dependency;
  }

  Dependency dependency() {
    return dependency;
  }

  /** A decoding failure the registry explains, or empty when the record itself is bad. */
  static Optional<DependencyFailure> ofDecoding(RuntimeException e) {
    if (e instanceof SerdeException s && s.retriable()) {
      return Optional.of(new DependencyFailure(Dependency.SCHEMA_REGISTRY, s.getMessage(), s));
    }
    return Optional.empty();
  }

  static DependencyFailure ofDisk(UncheckedIOException e) {
    return new DependencyFailure(Dependency.DATA_DIRECTORY, e.getMessage() + ": " + e.getCause().getMessage(), e);
  }

  static DependencyFailure ofKafka(KafkaException e) {
    return new DependencyFailure(Dependency.KAFKA, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }
}
