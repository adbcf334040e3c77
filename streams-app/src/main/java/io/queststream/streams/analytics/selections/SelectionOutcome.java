package io.queststream.streams.analytics.selections;

import io.queststream.schemas.PreferencePair;

/** A pair derived from a selection, or a selection refused (exactly one is set). */
public record SelectionOutcome(PreferencePair pair, SelectionRejection rejection) {

  public boolean rejected() {
    return rejection != null;
  }
}
