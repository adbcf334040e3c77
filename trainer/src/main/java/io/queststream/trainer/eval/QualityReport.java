package io.queststream.trainer.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.trainer.embedding.EmbeddingCache;
import io.queststream.trainer.imports.PublicDataset;
import io.queststream.trainer.imports.PublicTurn;
import io.queststream.trainer.imports.QuestTurn;
import io.queststream.trainer.imports.RmbItem;
import io.queststream.trainer.ridge.SplitAssigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Evaluation of one weights version on public data, on the held-out side of the import's split and on everything:
 * RMB per set, goal and scenario beside the length baselines, QUEST-Bench scene correlations, pairs, leaderboard and
 * length bias. Written as JSON (for tools) and as a markdown table (for docs/quality.md).
 */
public record QualityReport(Map<String, String> weights, List<Side> sides) {

  /** The figures on one side of the split. */
  public record Side(String name, List<RmbSetEvaluation.Row> rmb, double rmbScoreVsLength,
      double rmbScoreVsLengthWithoutTransform, QuestSceneEvaluation.Result quest) {}

  public static QualityReport evaluate(PublicDataset data, Map<String, EmbeddingCache.Entry> embedded,
      Map<String, String> failures, HeadsWeights w, SplitAssigner heldOut, double questMargin) {
    Map<String, ScoredTurn> scored = new LinkedHashMap<>();
    Map<String, PublicTurn> turns = data.turnsById();
    embedded.forEach((id, e) -> {
      PublicTurn t = turns.get(id);
      if (t != null) {
        scored.put(id, ScoredTurn.of(w, e, t.request().response()));
      }
    });
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("model_name", w.version().modelName());
    identity.put("version", Long.toString(w.version().version()));
    identity.put("backbone_id", w.version().backboneId());
    identity.put("verbosity_signal", String.valueOf(w.record().getVerbositySignal()));
    identity.put("verbosity_lambdas", String.valueOf(w.record().getVerbosityLambdas()));
    List<Side> sides = new ArrayList<>();
    sides.add(side("heldout", data, scored, failures, heldOut::isValidation, questMargin));
    sides.add(side("all", data, scored, failures, k -> true, questMargin));
    return new QualityReport(identity, sides);
  }

  private static Side side(String name, PublicDataset data, Map<String, ScoredTurn> scored,
      Map<String, String> failures, Predicate<String> onSide, double margin) {
    List<RmbItem> items = data.rmbItems().stream().filter(i -> onSide.test(i.promptId())).toList();
    List<QuestTurn> quest = data.questTurns().stream().filter(t -> onSide.test(t.sceneId())).toList();
    List<String> rmbTurns = items.stream().flatMap(i -> Stream.concat(Stream.of(i.bestTurnId()),
        i.otherTurnIds().stream())).distinct().filter(scored::containsKey).toList();
    double[] len = rmbTurns.stream().mapToDouble(id -> scored.get(id).tokens()).toArray();
    return new Side(name, RmbSetEvaluation.evaluate(items, scored, failures),
        QuestSceneEvaluation.correlation(rmbTurns.stream().mapToDouble(id -> scored.get(id).score()).toArray(), len),
        QuestSceneEvaluation.correlation(rmbTurns.stream().mapToDouble(id -> scored.get(id).scoreWithoutTransform())
            .toArray(), len),
        QuestSceneEvaluation.evaluate(quest, scored, failures, data.leaderboard(), margin));
  }

  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("quality-report.json").toFile(), this);
    Files.writeString(dir.resolve("quality-report.md"), markdown(Integer.MAX_VALUE), StandardCharsets.UTF_8);
  }

  /** The report as markdown; RMB rows deeper than {@code maxDepth} category levels are left out. */
  public String markdown(int maxDepth) {
    StringBuilder md = new StringBuilder();
    md.append("Weights: ").append(weights).append("\n\n");
    for (Side s : sides) {
      md.append("### RMB, ").append(s.name()).append(" items\n\n");
      md.append("| set | group | items | scored | accuracy | without T | longer wins (tokens) | longer wins (chars) "
          + "| failed (cause) |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (RmbSetEvaluation.Row r : s.rmb()) {
        if (depth(r.group()) <= maxDepth) {
          md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s | %s | %s |%n", r.set(), r.group(),
              r.items(), r.scored(), f(r.accuracy()), f(r.accuracyWithoutTransform()), f(r.longerTokensWins()),
              f(r.longerCharsWins()), causes(r.failures())));
        }
      }
      md.append(String.format(Locale.ROOT, "%nScore vs reply length (Spearman, RMB answers): %s with T, %s without.%n%n",
          f(s.rmbScoreVsLength()), f(s.rmbScoreVsLengthWithoutTransform())));
      quest(md, s);
    }
    return md.toString();
  }

  private static void quest(StringBuilder md, Side s) {
    QuestSceneEvaluation.Result q = s.quest();
    md.append("### QUEST-Bench scene, ").append(s.name()).append(" turns\n\n");
    md.append(String.format(Locale.ROOT, "%d turns, %d scored, %d with judge scores; not scored: %s%n%n", q.turns(),
        q.scored(), q.rated(), q.failures().isEmpty() ? "none" : causes(q.failures())));
    md.append("| attribute | Pearson | Spearman |\n|---|---:|---:|\n");
    q.attributePearsonSpearman().forEach((a, v) -> md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", a,
        f(v[0]), f(v[1]))));
    QuestSceneEvaluation.PairRow p = q.pairs();
    md.append(String.format(Locale.ROOT, "%nSame-context pairs: %d, accuracy %s (without T %s); longer wins: %s "
        + "(tokens), %s (chars)%n%n", p.pairs(), f(p.accuracy()), f(p.accuracyWithoutTransform()),
        f(p.longerTokensWins()), f(p.longerCharsWins())));
    md.append("| policy model | turns | mean score | without T | leaderboard |\n|---|---:|---:|---:|---:|\n");
    for (QuestSceneEvaluation.ModelRow m : q.models()) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", m.model(), m.turns(), f(m.meanScore()),
          f(m.meanScoreWithoutTransform()), Double.isNaN(m.leaderboard()) ? "" : f(m.leaderboard())));
    }
    md.append(String.format(Locale.ROOT, "%nLeaderboard rank correlation (Spearman, %d models): %s (without T %s).%n",
        q.leaderboardModels(), f(q.leaderboardSpearman()), f(q.leaderboardSpearmanWithoutTransform())));
    md.append(String.format(Locale.ROOT, "Score vs reply length (Spearman): %s with T, %s without; score vs judge "
        + "total: %s with T, %s without.%n%n", f(q.scoreVsLength()), f(q.scoreVsLengthWithoutTransform()),
        f(q.scoreVsJudge()), f(q.scoreVsJudgeWithoutTransform())));
  }

  private static String causes(Map<String, Integer> failures) {
    StringBuilder sb = new StringBuilder();
    failures.forEach((cause, n) -> sb.append(sb.length() == 0 ? "" : "; ").append(n).append(" × ").append(cause));
    return sb.toString();
  }

  private static int depth(String group) {
    return "all".equals(group) ? 0 : group.split("/").length;
  }

  private static String f(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
  }
}
