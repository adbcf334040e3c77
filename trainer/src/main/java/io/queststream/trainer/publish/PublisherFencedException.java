package io.queststream.trainer.publish;

/**
 * A newer trainer with the same transactional id has taken over the weights topic; this one must stop publishing.
 * Not retryable: retrying would fence the newer instance in turn and the two would take turns publishing.
 */
public final class PublisherFencedException extends RuntimeException {

  public PublisherFencedException(String transactionalId, String topic, Throwable cause) {
    this("another trainer with transactional id '" + transactionalId + "' has taken over publishing to " + topic,
        cause);
  }

  private PublisherFencedException(String what, Throwable cause) {
    super("fenced: " + what + "; this instance stops (run one publishing trainer per id, see docs/reliability.md)",
        cause);
  }

  /** Another trainer joined the feedback consumer group under the same static member id. */
  public static PublisherFencedException ofConsumer(String memberId, Throwable cause) {
    return new PublisherFencedException("another trainer joined the feedback consumer group as member '" + memberId
        + "'", cause);
  }
}
