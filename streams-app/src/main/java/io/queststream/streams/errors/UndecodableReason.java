package io.queststream.streams.errors;

import io.queststream.serde.SerdeException;

/** The machine-readable reason a dead letter of undecodable bytes carries. */
public final class UndecodableReason {

  private UndecodableReason() {}

  /** The serde's reason (BAD_MAGIC_BYTE, UNKNOWN_SCHEMA_ID, ...), or UNDECODABLE from another deserializer. */
  public static String of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SerdeException serde) {
        return serde.reason().name();
      }
    }
    return "UNDECODABLE";
  }
}
