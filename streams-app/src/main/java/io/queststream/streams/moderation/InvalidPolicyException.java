package io.queststream.streams.moderation;

/** A moderation-policies record that is refused; the rules in force stay as they were. */
public final class InvalidPolicyException extends Exception {

  /** Which check the record failed; the reason of its dead letter. */
  public enum Reason {
    /** Not a moderation rules record in the registry's wire format. */
    UNDECODABLE,
    /** The key is not {@code character:<id>} or {@code tag:<tag>}. */
    BAD_KEY,
    /** The record's scope and subject are not the ones its key names. */
    KEY_MISMATCH,
    /** A rule for an attribute the weights do not have: it could never fire. */
    UNKNOWN_ATTRIBUTE,
    /** A threshold that is NaN or infinite: it would pass every turn or flag every one. */
    NON_FINITE_THRESHOLD,
    /** An unreadable share outside [0, 1]. */
    SHARE_OUT_OF_RANGE
  }

  private final Reason reason;

  public InvalidPolicyException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
