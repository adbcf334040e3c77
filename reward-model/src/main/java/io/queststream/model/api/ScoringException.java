package io.queststream.model.api;

/** Scoring failed for a whole batch (backbone error, rejected by a full queue, closed scorer, no weights). */
public class ScoringException extends Exception {
  public ScoringException(String message) {
    super(message);
  }

  public ScoringException(String message, Throwable cause) {
    super(message, cause);
  }
}
