package io.queststream.streams.analytics.selections;

import java.util.ArrayList;
import java.util.List;

/** Selections waiting for the score of the turn they chose, each with the wall-clock time it gives up. */
public record PendingSelections(List<Waiting> waiting) {

  /** One selection and its deadline. */
  public record Waiting(SelectionRecord selection, long deadlineMs) {}

  public PendingSelections {
    waiting = List.copyOf(waiting);
  }

  public PendingSelections with(SelectionRecord s, long deadlineMs) {
    List<Waiting> next = new ArrayList<>(waiting);
    next.add(new Waiting(s, deadlineMs));
    return new PendingSelections(next);
  }

  public boolean holds(String selectionId) {
    return waiting.stream().anyMatch(w -> w.selection().selectionId().equals(selectionId));
  }
}
