package io.queststream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.trainer.imports.QuestTurn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuestSceneEvaluationTest {

  private static double[] judged(double v) {
    return new double[] {v, v, v, v, v, v};
  }

  @Test
  void comparesScoresWithTheJudgeOnPairsPerAttributeAndWithTheLeaderboard() {
    // given three models on two contexts; the rewards follow the judge, the scores follow the judge except that
    // model c's reply to the second context is scored too high, and model a's reply is longest everywhere
    List<QuestTurn> turns = new ArrayList<>();
    Map<String, ScoredTurn> scored = new HashMap<>();
    String[] models = {"a", "b", "c"};
    double[][] judge = {{4, 3, 2}, {4.5, 2, 1}};
    double[][] score = {{0.9, 0.5, 0.2}, {0.9, 0.4, 0.95}};
    for (int c = 0; c < 2; c++) {
      for (int m = 0; m < 3; m++) {
        String id = models[m] + c;
        turns.add(new QuestTurn(id, "scene", "ctx" + c, models[m], judged(judge[c][m])));
        float r = (float) judge[c][m] / 5;
        scored.put(id, new ScoredTurn(score[c][m], score[c][m], new float[] {r, r, r, r, r, r}, 100 - 10 * m,
            400 - 10 * m));
      }
    }
    turns.add(new QuestTurn("d0", "scene", "ctx0", "d", null));
    Map<String, Double> leaderboard = Map.of("a", 22.0, "b", 20.0, "c", 18.0, "x", 19.0);

    // when
    QuestSceneEvaluation.Result r = QuestSceneEvaluation.evaluate(turns, scored,
        Map.of("d0", "too long: needs 700 tokens with all history dropped; the backbone takes 512"), leaderboard, 1.0);

    // then
    assertThat(r.turns()).isEqualTo(7);
    assertThat(r.scored()).isEqualTo(6);
    assertThat(r.rated()).isEqualTo(6);
    assertThat(r.failures()).containsOnlyKeys("too long: needs N tokens with all history dropped; the backbone takes N");
    assertThat(r.attributePearsonSpearman().get("Contextual_Alignment")[0]).isCloseTo(1.0, within(1e-9));
    assertThat(r.attributePearsonSpearman().get("Contextual_Alignment")[1]).isCloseTo(1.0, within(1e-9));
    // pairs beyond a margin of 1 total point (6 attributes): ctx0 a>b, a>c, b>c; ctx1 a>b, a>c, b>c; the model
    // gets ctx1's b>c and a>c wrong
    assertThat(r.pairs().pairs()).isEqualTo(6);
    assertThat(r.pairs().accuracy()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(r.pairs().longerTokensWins()).isEqualTo(1.0);
    // mean scores a 0.9, b 0.45, c 0.575 against the leaderboard a > b > c
    assertThat(r.leaderboardModels()).isEqualTo(3);
    assertThat(r.leaderboardSpearman()).isCloseTo(0.5, within(1e-12));
    assertThat(r.models()).extracting(QuestSceneEvaluation.ModelRow::model).containsExactly("a", "b", "c");
  }
}
