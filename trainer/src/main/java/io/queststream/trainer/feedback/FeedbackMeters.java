package io.queststream.trainer.feedback;

/** What the feedback consumer counts: records consumed per topic, and rejections by cause. */
public interface FeedbackMeters {

  void feedbackConsumed(String topic);

  /** Counts every rejection that goes through {@code target}. */
  DeadLetters counting(DeadLetters target);
}
