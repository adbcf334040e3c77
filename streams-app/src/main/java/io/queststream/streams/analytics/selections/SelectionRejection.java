package io.queststream.streams.analytics.selections;

import java.util.Locale;

/** Why a selection yields no pairs; the reason of its dead letter. */
public record SelectionRejection(SelectionRecord selection, Reason reason, String message) {

  public enum Reason {
    /** An empty id, or the parent chosen as its own reply. */
    INVALID_SELECTION,
    /** No scored reply of that conversation has the chosen id (within the resolve timeout). */
    UNKNOWN_TURN,
    /** The chosen turn answers another parent than the one the selection names. */
    WRONG_PARENT,
    /** The same selection id again. */
    DUPLICATE_SELECTION,
    /** Another selection was already made for the parent: one choice per parent counts. */
    PARENT_ALREADY_SELECTED;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
