package io.queststream.trainer.imports;

import java.util.List;

/**
 * One RMB item: a pairwise comparison (the chosen answer against the rejected one) or a Best-of-N list (the best
 * answer against every loser), by turn id.
 *
 * @param category the category path without its set prefix, e.g. {@code Helpfulness/Code/Data Management}
 * @param promptId the id of the conversation the answers reply to (shared by every item with that conversation)
 */
public record RmbItem(String uid, Kind kind, String category, String promptId, String bestTurnId,
    List<String> otherTurnIds) {

  public enum Kind {
    PAIRWISE("pairwise"), BEST_OF_N("bon");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public RmbItem {
    otherTurnIds = List.copyOf(otherTurnIds);
  }

  /** Helpfulness or Harmlessness: the first segment of the category path. */
  public String goal() {
    int slash = category.indexOf('/');
    return slash < 0 ? category : category.substring(0, slash);
  }
}
