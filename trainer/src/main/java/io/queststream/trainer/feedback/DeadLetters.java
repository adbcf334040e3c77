package io.queststream.trainer.feedback;

/** Receives feedback that cannot be used, with the cause. */
@FunctionalInterface
public interface DeadLetters {

  void reject(SourceRecord source, RejectionCause cause, String message);
}
