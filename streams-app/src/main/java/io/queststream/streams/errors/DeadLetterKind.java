package io.queststream.streams.errors;

import java.util.Locale;

/** Why a record went to the dead-letter topic; also the tag of the dead-letter counter. */
public enum DeadLetterKind {
  /** Bytes that do not decode (bad frame, unknown schema id): Kafka Streams' built-in dead-letter queue. */
  DESERIALIZATION,
  /** An exception thrown while processing a decoded record: Kafka Streams' built-in dead-letter queue. */
  PROCESSING,
  /** A decoded turn that breaks a domain rule (empty text, unknown role, missing ids, ...). */
  VALIDATION,
  /** The model failed on the batch that held the turn. */
  SCORING,
  /** A reward-weights record that failed a check (signature, version, bounds, canary, ...); the reason names it. */
  WEIGHTS,
  /** A turn selection that cannot yield preference pairs (unknown turn, another parent's turn, a duplicate, ...). */
  SELECTION,
  /** A moderation-policies record that was refused (unknown attribute, non-finite threshold, ...); the rules in force stay. */
  POLICY;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
