package io.queststream.trainer.publish;

/**
 * A newer trainer with the same transactional id has taken over the weights topic; this one must stop publishing.
 * Not retryable: retrying would fence the newer instance in turn and the two would take turns publishing.
 */
public final class PublisherFencedException extends RuntimeException {

  public PublisherFencedException(String transactionalId, String topic, Throwable cause) {
    super("fenced: another trainer with transactional id '" + transactionalId + "' has taken over publishing to "
        + topic + "; this instance stops (run one publishing trainer per id, see docs/reliability.md)", cause);
  }
}
