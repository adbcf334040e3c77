package io.queststream.model.api;

/**
 * The scorer could not take or finish the work for a reason that is not the turn's: its queue is full, it is
 * closing, no weights are installed yet. The same turn will score later; callers retry rather than give up on it.
 */
public class ScorerUnavailableException extends ScoringException {
  public ScorerUnavailableException(String message) {
    super(message);
  }

  public ScorerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
