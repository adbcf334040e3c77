package io.queststream.model.api;

/**
 * One turn can never be scored as it is: scoring it again fails the same way, so it is a permanent failure of that
 * turn (a dead letter), not of the model or its batch.
 */
public class UnscorableTurnException extends ScoringException {

  /** Why the turn cannot be scored; the streams app writes it as the dead letter's reason. */
  public enum Reason {
    /** Rendering the conversation with the chat template ran past its output-size or time limit. */
    RENDER_LIMIT,
    /** The chat template failed on the conversation. */
    TEMPLATE_ERROR,
    /** The reply shows nothing: only format, control, whitespace or stray combining characters. */
    NO_VISIBLE_TEXT,
    /**
     * The turn was handed to the model as many times as allowed, the last ones alone, and the process ended each
     * time before the call returned: the turn hangs or crashes the backbone, so it is not handed over again.
     */
    MODEL_NEVER_FINISHED
  }

  private final String turnId;
  private final Reason reason;

  public UnscorableTurnException(String turnId, Reason reason, String message, Throwable cause) {
    super("turn " + turnId + ": " + message, cause);
    this.turnId = turnId;
    this.reason = reason;
  }

  public String turnId() {
    return turnId;
  }

  public Reason reason() {
    return reason;
  }
}
