package io.queststream.trainer.eval;

import io.queststream.trainer.embedding.FailureCauses;
import io.queststream.trainer.imports.RmbItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * RMB accuracy for every figure that matters (DESIGN §6): per set (pairwise, Best-of-N), overall, per goal and per
 * scenario of the category path, each beside the "longer answer wins" baselines (tokens and characters) on the same
 * items. An item is correct iff the best answer scores strictly above every other answer (a tie is wrong); baselines
 * use the same strict rule on length. An item any of whose answers could not be scored is counted as failed, with
 * the cause, and left out of every accuracy of its row, so the model and the baselines are compared on the same items.
 */
public final class RmbSetEvaluation {

  /**
   * One row of the table.
   *
   * @param group "all", a goal ("Helpfulness") or a category path prefix ("Helpfulness/Code")
   * @param accuracyWithoutTransform the heads without the debiasing transform, to see what the transform changed
   */
  public record Row(String set, String group, int items, int scored, double accuracy,
      double accuracyWithoutTransform, double longerTokensWins, double longerCharsWins,
      Map<String, Integer> failures) {}

  private RmbSetEvaluation() {}

  public static List<Row> evaluate(List<RmbItem> items, Map<String, ScoredTurn> scored, Map<String, String> failures) {
    Map<String, Tally> tallies = new TreeMap<>();
    for (RmbItem item : items) {
      String set = item.kind().label();
      List<String> groups = new ArrayList<>();
      groups.add("all");
      String[] parts = item.category().split("/");
      StringBuilder prefix = new StringBuilder();
      for (String p : parts) {
        prefix.append(prefix.length() == 0 ? "" : "/").append(p);
        groups.add(prefix.toString());
      }
      String failure = firstFailure(item, scored, failures);
      for (String g : groups) {
        Tally t = tallies.computeIfAbsent(set + "\u0000" + g, k -> new Tally());
        t.items++;
        if (failure != null) {
          t.failures.merge(FailureCauses.of(failure), 1, Integer::sum);
          continue;
        }
        t.scored++;
        t.correct += wins(item, scored, ScoredTurn::score) ? 1 : 0;
        t.correctRaw += wins(item, scored, ScoredTurn::scoreWithoutTransform) ? 1 : 0;
        t.longerTokens += wins(item, scored, ScoredTurn::tokens) ? 1 : 0;
        t.longerChars += wins(item, scored, ScoredTurn::chars) ? 1 : 0;
      }
    }
    List<Row> rows = new ArrayList<>();
    tallies.forEach((k, t) -> {
      String[] sg = k.split("\u0000");
      rows.add(new Row(sg[0], sg[1], t.items, t.scored, ratio(t.correct, t.scored), ratio(t.correctRaw, t.scored),
          ratio(t.longerTokens, t.scored), ratio(t.longerChars, t.scored), t.failures));
    });
    return rows;
  }

  private static String firstFailure(RmbItem item, Map<String, ScoredTurn> scored, Map<String, String> failures) {
    List<String> all = new ArrayList<>(item.otherTurnIds());
    all.add(0, item.bestTurnId());
    for (String id : all) {
      if (!scored.containsKey(id)) {
        return failures.getOrDefault(id, "not embedded");
      }
    }
    return null;
  }

  /** RMB's rule: the best answer strictly above every other one. */
  static boolean wins(RmbItem item, Map<String, ScoredTurn> scored, ToDoubleFunction<ScoredTurn> value) {
    double best = value.applyAsDouble(scored.get(item.bestTurnId()));
    for (String other : item.otherTurnIds()) {
      if (!(best > value.applyAsDouble(scored.get(other)))) {
        return false;
      }
    }
    return true;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  private static final class Tally {
    int items;
    int scored;
    int correct;
    int correctRaw;
    int longerTokens;
    int longerChars;
    final Map<String, Integer> failures = new TreeMap<>();
  }
}
