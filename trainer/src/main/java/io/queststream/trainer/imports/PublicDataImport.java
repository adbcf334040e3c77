package io.queststream.trainer.imports;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads RMB and the QUEST-Bench scene part into one {@link PublicDataset}, optionally a deterministic subset, and
 * derives the feedback records: one PreferencePair per RMB pairwise item, one per (best, loser) of a Best-of-N item
 * (the losers are not ranked among themselves, so no Ranking is made of them), one AttributeRating per judged
 * QUEST-Bench reply, and one PreferencePair between two policy models' replies to the same context whose judge totals
 * differ by at least the margin. Pair ids come from the two turns, so the same preference stated by both RMB sets
 * trains once.
 */
public final class PublicDataImport {

  /**
   * @param rmbRoot RMB's {@code RMB_dataset} folder, or null
   * @param questRoot the QUEST-Bench checkout (holding {@code results/}), or null
   * @param rmbLimit keep this many RMB items (ordered by a hash of their uid), null for all
   * @param questLimit keep whole contexts (ordered by a hash of their id) up to this many QUEST turns, null for all
   * @param questMargin judge-total difference from which two replies to one context make a preference pair
   */
  public record Options(Path rmbRoot, Path questRoot, Integer rmbLimit, Integer questLimit,
      QuestSceneReader.CardMode cardMode, double questMargin) {}

  static final String RMB_RATER = "rmb";
  static final String QUEST_RATER = "quest-bench-judge";

  private PublicDataImport() {}

  public static PublicDataset read(Options o) throws IOException {
    ImportIssues issues = new ImportIssues();
    List<PublicTurn> turns = new ArrayList<>();
    List<RmbItem> items = List.of();
    List<SourceFile> rmbFiles = List.of();
    if (o.rmbRoot() != null) {
      RmbReader.Result rmb = new RmbReader(issues).read(o.rmbRoot());
      items = subset(rmb.items(), o.rmbLimit());
      Set<String> used = new HashSet<>();
      items.forEach(i -> {
        used.add(i.bestTurnId());
        used.addAll(i.otherTurnIds());
      });
      rmb.turns().stream().filter(t -> used.contains(t.turnId())).forEach(turns::add);
      rmbFiles = rmb.files();
    }
    List<QuestTurn> quest = List.of();
    Map<String, Double> leaderboard = Map.of();
    List<SourceFile> questFiles = List.of();
    if (o.questRoot() != null) {
      QuestSceneReader.Result q = new QuestSceneReader(issues, o.cardMode()).read(o.questRoot());
      Set<String> contexts = contexts(q.scored(), o.questLimit());
      quest = q.scored().stream().filter(t -> contexts.contains(t.contextId())).toList();
      q.turns().stream().filter(t -> contexts.contains(t.contextId())).forEach(turns::add);
      leaderboard = q.leaderboard();
      questFiles = q.files();
    }
    Instant now = Instant.now();
    List<PreferencePair> pairs = new ArrayList<>();
    Set<String> pairIds = new HashSet<>();
    for (RmbItem i : items) {
      rmbPairs(i, issues, now).stream().filter(p -> pairIds.add(p.getPairId())).forEach(pairs::add);
    }
    questPairs(quest, o.questMargin(), now).stream().filter(p -> pairIds.add(p.getPairId())).forEach(pairs::add);
    List<AttributeRating> ratings = quest.stream().filter(QuestTurn::rated).map(t -> rating(t, now)).toList();
    return new PublicDataset(List.copyOf(turns), items, quest, leaderboard, ratings, List.copyOf(pairs), rmbFiles,
        questFiles, issues);
  }

  private static List<RmbItem> subset(List<RmbItem> items, Integer limit) {
    if (limit == null || limit >= items.size()) {
      return items;
    }
    return items.stream().sorted(Comparator.comparing(i -> ContentIds.id(i.uid()))).limit(limit).toList();
  }

  private static Set<String> contexts(List<QuestTurn> turns, Integer limit) {
    Map<String, Integer> perContext = new LinkedHashMap<>();
    turns.forEach(t -> perContext.merge(t.contextId(), 1, Integer::sum));
    if (limit == null) {
      return perContext.keySet();
    }
    Set<String> chosen = new HashSet<>();
    int total = 0;
    for (String c : perContext.keySet().stream().sorted(Comparator.comparing(ContentIds::id)).toList()) {
      int n = perContext.get(c);
      if (total + n > limit) {
        break;
      }
      chosen.add(c);
      total += n;
    }
    return chosen;
  }

  private static List<PreferencePair> rmbPairs(RmbItem item, ImportIssues issues, Instant now) {
    List<PreferencePair> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String other : item.otherTurnIds()) {
      if (other.equals(item.bestTurnId())) {
        issues.unusable(RmbReader.SOURCE, item.kind() == RmbItem.Kind.PAIRWISE
            ? "chosen and rejected are the same answer" : "the best answer is also listed as a loser", item.uid());
      } else if (!seen.add(other)) {
        issues.unusable(RmbReader.SOURCE, "a loser is listed twice", item.uid());
      } else {
        out.add(pair(item.bestTurnId(), other, item.promptId(), RMB_RATER, now));
      }
    }
    return out;
  }

  private static List<PreferencePair> questPairs(List<QuestTurn> quest, double margin, Instant now) {
    Map<String, List<QuestTurn>> byContext = new LinkedHashMap<>();
    quest.stream().filter(QuestTurn::rated).forEach(t -> byContext.computeIfAbsent(t.contextId(),
        k -> new ArrayList<>()).add(t));
    List<PreferencePair> out = new ArrayList<>();
    for (List<QuestTurn> ts : byContext.values()) {
      for (int i = 0; i < ts.size(); i++) {
        for (int j = i + 1; j < ts.size(); j++) {
          QuestTurn a = ts.get(i);
          QuestTurn b = ts.get(j);
          if (questPrefers(a, b, margin)) {
            out.add(pair(a.turnId(), b.turnId(), a.contextId(), QUEST_RATER, now));
          } else if (questPrefers(b, a, margin)) {
            out.add(pair(b.turnId(), a.turnId(), a.contextId(), QUEST_RATER, now));
          }
        }
      }
    }
    return out;
  }

  /** True when the judge prefers reply a to reply b (same context) by at least the margin in total score. */
  public static boolean questPrefers(QuestTurn a, QuestTurn b, double margin) {
    return a.total() - b.total() >= margin;
  }

  private static PreferencePair pair(String chosen, String rejected, String context, String rater, Instant now) {
    return PreferencePair.newBuilder().setPairId("pref-" + ContentIds.id(chosen, rejected)).setContextId(context)
        .setConversationId(context).setChosenTurnId(chosen).setRejectedTurnId(rejected).setSource("benchmark")
        .setRaterId(rater).setWeight(1f).setCreatedAt(now).build();
  }

  private static AttributeRating rating(QuestTurn t, Instant now) {
    Map<String, Float> r = new HashMap<>();
    for (int a = 0; a < QuestSceneReader.ATTRIBUTES.size(); a++) {
      r.put(QuestSceneReader.RATING_NAMES.get(a), (float) t.judgeScores()[a]);
    }
    return AttributeRating.newBuilder().setRatingId("rating-" + t.turnId()).setTurnId(t.turnId())
        .setRaterId(QUEST_RATER).setSource("annotator").setRatings(r)
        .setScaleMin((float) QuestSceneReader.SCALE_MIN).setScaleMax((float) QuestSceneReader.SCALE_MAX)
        .setCreatedAt(now).build();
  }
}
