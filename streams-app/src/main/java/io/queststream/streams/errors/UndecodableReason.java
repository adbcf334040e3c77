package io.queststream.streams.errors;

import io.queststream.serde.SerdeException;
import io.queststream.streams.serde.StrictUtf8Serde.MalformedKeyException;

/** The machine-readable reason a dead letter of undecodable bytes carries. */
public final class UndecodableReason {

  private UndecodableReason() {}

  /**
   * The serde's reason (BAD_MAGIC_BYTE, UNKNOWN_SCHEMA_ID, ...), MALFORMED_KEY for a key that is not UTF-8, or
   * UNDECODABLE from another deserializer.
   */
  public static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SerdeException serde) {
        return serde.reason().name();
      }
      if (t instanceof MalformedKeyException) {
        return "MALFORMED_KEY";
      }
    }
    return "UNDECODABLE";
  }
}
