package io.queststream.trainer.feedback;

/**
 * Feedback that waited its grace period for turns that never came: its id (as "rating:&lt;id&gt;", "pair:&lt;id&gt;",
 * "ranking:&lt;id&gt;"), where it came from, and the dead letter's message.
 */
public record Expiry(String feedbackId, SourceRecord source, String message) {}
