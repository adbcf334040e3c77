package io.queststream.trainer.eval;

import io.queststream.trainer.embedding.FailureCauses;
import io.queststream.trainer.imports.PublicDataImport;
import io.queststream.trainer.imports.QuestSceneReader;
import io.queststream.trainer.imports.QuestTurn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * How well scores track the QUEST-Bench judge on scene replies: per attribute, Pearson and Spearman correlation of
 * the predicted reward with the judge's score; accuracy on same-context pairs whose judge totals differ by at least
 * the import's margin (beside the longer-reply baselines); each policy model's mean score against the public
 * leaderboard (Spearman over the models in both); and whether the score follows length: its Spearman correlation with
 * reply length and with the judge's total, with and without the debiasing transform. A transform that removes length
 * bias without inverting quality lowers the first and keeps the second's sign.
 */
public final class QuestSceneEvaluation {

  /** One policy model's mean score and its leaderboard figure (NaN when it is not on the leaderboard). */
  public record ModelRow(String model, int turns, double meanScore, double meanScoreWithoutTransform,
      double leaderboard) {}

  /** Accuracy on judged pairs with the baselines on the same pairs. */
  public record PairRow(int pairs, double accuracy, double accuracyWithoutTransform, double longerTokensWins,
      double longerCharsWins) {}

  public record Result(int turns, int scored, int rated, Map<String, Integer> failures,
      Map<String, double[]> attributePearsonSpearman, PairRow pairs, List<ModelRow> models,
      double leaderboardSpearman, double leaderboardSpearmanWithoutTransform, int leaderboardModels,
      double scoreVsLength, double scoreVsLengthWithoutTransform, double scoreVsJudge,
      double scoreVsJudgeWithoutTransform) {}

  private QuestSceneEvaluation() {}

  public static Result evaluate(List<QuestTurn> turns, Map<String, ScoredTurn> scored, Map<String, String> failures,
      Map<String, Double> leaderboard, double margin) {
    Map<String, Integer> failureCauses = new TreeMap<>();
    List<QuestTurn> ok = new ArrayList<>();
    for (QuestTurn t : turns) {
      if (scored.containsKey(t.turnId())) {
        ok.add(t);
      } else {
        failureCauses.merge(FailureCauses.of(failures.getOrDefault(t.turnId(), "not embedded")), 1, Integer::sum);
      }
    }
    List<QuestTurn> rated = ok.stream().filter(QuestTurn::rated).toList();
    Map<String, double[]> attributes = new LinkedHashMap<>();
    for (int a = 0; a < QuestSceneReader.ATTRIBUTES.size(); a++) {
      int k = a;
      double[] pred = rated.stream().mapToDouble(t -> scored.get(t.turnId()).rewards()[k]).toArray();
      double[] judge = rated.stream().mapToDouble(t -> t.judgeScores()[k]).toArray();
      attributes.put(QuestSceneReader.ATTRIBUTES.get(a), rated.size() < 2 ? new double[] {Double.NaN, Double.NaN}
          : new double[] {Spearman.Pearson.correlation(pred, judge), Spearman.correlation(pred, judge)});
    }
    List<ModelRow> models = models(ok, scored, leaderboard);
    List<ModelRow> onBoard = models.stream().filter(m -> !Double.isNaN(m.leaderboard())).toList();
    double[] board = onBoard.stream().mapToDouble(ModelRow::leaderboard).toArray();
    double[] lengths = ok.stream().mapToDouble(t -> scored.get(t.turnId()).tokens()).toArray();
    double[] judgeTotal = rated.stream().mapToDouble(QuestTurn::total).toArray();
    return new Result(turns.size(), ok.size(), rated.size(), failureCauses, attributes,
        pairs(rated, scored, margin), models,
        correlation(onBoard.stream().mapToDouble(ModelRow::meanScore).toArray(), board),
        correlation(onBoard.stream().mapToDouble(ModelRow::meanScoreWithoutTransform).toArray(), board),
        onBoard.size(),
        correlation(values(ok, scored, ScoredTurn::score), lengths),
        correlation(values(ok, scored, ScoredTurn::scoreWithoutTransform), lengths),
        correlation(values(rated, scored, ScoredTurn::score), judgeTotal),
        correlation(values(rated, scored, ScoredTurn::scoreWithoutTransform), judgeTotal));
  }

  private static PairRow pairs(List<QuestTurn> rated, Map<String, ScoredTurn> scored, double margin) {
    Map<String, List<QuestTurn>> byContext = new LinkedHashMap<>();
    rated.forEach(t -> byContext.computeIfAbsent(t.contextId(), k -> new ArrayList<>()).add(t));
    int n = 0;
    int[] wins = new int[4];
    for (List<QuestTurn> ts : byContext.values()) {
      for (QuestTurn a : ts) {
        for (QuestTurn b : ts) {
          if (a != b && PublicDataImport.questPrefers(a, b, margin)) {
            ScoredTurn sa = scored.get(a.turnId());
            ScoredTurn sb = scored.get(b.turnId());
            n++;
            wins[0] += sa.score() > sb.score() ? 1 : 0;
            wins[1] += sa.scoreWithoutTransform() > sb.scoreWithoutTransform() ? 1 : 0;
            wins[2] += sa.tokens() > sb.tokens() ? 1 : 0;
            wins[3] += sa.chars() > sb.chars() ? 1 : 0;
          }
        }
      }
    }
    return new PairRow(n, ratio(wins[0], n), ratio(wins[1], n), ratio(wins[2], n), ratio(wins[3], n));
  }

  private static List<ModelRow> models(List<QuestTurn> ok, Map<String, ScoredTurn> scored,
      Map<String, Double> leaderboard) {
    Map<String, double[]> sums = new TreeMap<>();
    for (QuestTurn t : ok) {
      double[] s = sums.computeIfAbsent(t.policyModel(), k -> new double[3]);
      s[0] += scored.get(t.turnId()).score();
      s[1] += scored.get(t.turnId()).scoreWithoutTransform();
      s[2]++;
    }
    List<ModelRow> rows = new ArrayList<>();
    sums.forEach((m, s) -> rows.add(new ModelRow(m, (int) s[2], s[0] / s[2], s[1] / s[2],
        leaderboard.getOrDefault(m, Double.NaN))));
    return rows;
  }

  private static double[] values(List<QuestTurn> ts, Map<String, ScoredTurn> scored,
      ToDoubleFunction<ScoredTurn> f) {
    return ts.stream().mapToDouble(t -> f.applyAsDouble(scored.get(t.turnId()))).toArray();
  }

  static double correlation(double[] a, double[] b) {
    return a.length < 3 ? Double.NaN : Spearman.correlation(a, b);
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
