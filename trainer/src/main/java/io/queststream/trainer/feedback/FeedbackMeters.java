package io.queststream.trainer.feedback;

/**
 * What the feedback consumer counts: records consumed per topic, rejections by cause, and failures of the dependencies
 * feedback waits for.
 */
public interface FeedbackMeters {

  void feedbackConsumed(String topic);

  /** One failure of a dependency that made feedback wait. */
  void dependencyFailed(String dependency);

  void dependencyRecovered(String dependency);

  /** Counts every rejection that goes through {@code target}. */
  DeadLetters counting(DeadLetters target);
}
