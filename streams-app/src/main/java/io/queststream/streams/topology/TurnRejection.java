package io.queststream.streams.topology;

/** A domain rule a chat turn broke; the reason code goes into the dead letter's headers. */
public record TurnRejection(Reason reason, String message) {

  /** Machine-readable causes of a rejected turn. */
  public enum Reason {
    NULL_VALUE,
    MISSING_TURN_ID,
    MISSING_CONVERSATION_ID,
    KEY_MISMATCH,
    UNKNOWN_ROLE,
    EMPTY_TEXT,
    OVERSIZED_TEXT,
    DUPLICATE_TURN_ID
  }
}
