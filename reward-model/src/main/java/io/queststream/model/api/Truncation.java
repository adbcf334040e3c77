package io.queststream.model.api;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What was left out or split to fit a turn to the backbone, in the order it is done: oldest history first, then the
 * character card, then the reply is split over several windows, and only beyond the window bound is the reply cut.
 */
public enum Truncation {
  /** Older messages of the conversation were left out. */
  HISTORY_DROPPED,
  /** The character card was shortened: scenario dropped, persona cut. */
  CARD_SHORTENED,
  /** The reply was longer than one window and was read in overlapping windows. */
  REPLY_CHUNKED,
  /** The reply was longer than the window bound allows; its end was not read. */
  REPLY_CUT;

  /** An unmodifiable copy that iterates in fitting order. */
  public static Set<Truncation> ordered(Collection<Truncation> flags) {
    Set<Truncation> set = EnumSet.noneOf(Truncation.class);
    set.addAll(flags);
    return Collections.unmodifiableSet(set);
  }
}
