package io.queststream.trainer.imports;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public data ready for training and evaluation: the turns to embed, the RMB items and QUEST-Bench judge scores to
 * evaluate on, the feedback records (absolute ratings and preference pairs) to train on, and what was read and left
 * out.
 */
public record PublicDataset(List<PublicTurn> turns, List<RmbItem> rmbItems, List<QuestTurn> questTurns,
    Map<String, Double> leaderboard, List<AttributeRating> ratings, List<PreferencePair> preferences,
    List<SourceFile> rmbFiles, List<SourceFile> questFiles, ImportIssues issues) {

  public Map<String, PublicTurn> turnsById() {
    Map<String, PublicTurn> m = new LinkedHashMap<>();
    turns.forEach(t -> m.put(t.turnId(), t));
    return m;
  }

  /** Counts for printing and the manifest. */
  public Map<String, Integer> counts() {
    Map<String, Integer> c = new LinkedHashMap<>();
    c.put("turns", turns.size());
    c.put("rmb_pairwise_items", (int) rmbItems.stream().filter(i -> i.kind() == RmbItem.Kind.PAIRWISE).count());
    c.put("rmb_bon_items", (int) rmbItems.stream().filter(i -> i.kind() == RmbItem.Kind.BEST_OF_N).count());
    c.put("quest_turns", questTurns.size());
    c.put("quest_rated_turns", (int) questTurns.stream().filter(QuestTurn::rated).count());
    c.put("ratings", ratings.size());
    c.put("preference_pairs", preferences.size());
    c.put("malformed", issues.malformedCount());
    c.put("unusable", issues.unusableCount());
    return c;
  }
}
