package io.queststream.trainer.imports;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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

  /**
   * Only what lies under the split keys {@code keep} accepts (RMB conversation, QUEST-Bench scene): the turns, the
   * items and judge scores about them, and the ratings and pairs whose turns all remain. Sources, leaderboard and
   * issues stay as read.
   */
  public PublicDataset restrictTo(Predicate<String> keep) {
    List<PublicTurn> kept = turns.stream().filter(t -> keep.test(t.splitKey())).toList();
    Set<String> ids = kept.stream().map(PublicTurn::turnId).collect(Collectors.toSet());
    return new PublicDataset(kept, rmbItems.stream().filter(i -> keep.test(i.promptId())).toList(),
        questTurns.stream().filter(q -> keep.test(q.sceneId())).toList(), leaderboard,
        ratings.stream().filter(r -> ids.contains(r.getTurnId())).toList(),
        preferences.stream().filter(p -> ids.contains(p.getChosenTurnId()) && ids.contains(p.getRejectedTurnId()))
            .toList(), rmbFiles, questFiles, issues);
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
