package io.queststream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.trainer.imports.RmbItem;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RmbSetEvaluationTest {

  /** score, score without the transform, tokens, chars. */
  private static ScoredTurn t(double score, double raw, int tokens, int chars) {
    return new ScoredTurn(score, raw, new float[0], tokens, chars);
  }

  private static RmbItem pair(String uid, String category, String chosen, String rejected) {
    return new RmbItem(uid, RmbItem.Kind.PAIRWISE, category, "p", chosen, List.of(rejected));
  }

  @Test
  void scoresPairsAndBestOfNByRmbsStrictRulesBesideTheLengthBaselinesOnTheSameItems() {
    // given: a won pair (shorter chosen), a tie (wrong), a pair with an unscoreable answer, and two Best-of-N items,
    // one whose best only ties a loser
    Map<String, ScoredTurn> scored = Map.ofEntries(
        Map.entry("c1", t(2, 2, 10, 40)), Map.entry("r1", t(1, 3, 20, 30)),
        Map.entry("c2", t(1, 1, 30, 50)), Map.entry("r2", t(1, 0, 20, 60)),
        Map.entry("c3", t(5, 5, 5, 5)),
        Map.entry("b1", t(3, 3, 50, 50)), Map.entry("l1", t(2, 2, 40, 40)), Map.entry("l2", t(1, 1, 30, 30)),
        Map.entry("b2", t(3, 3, 10, 10)), Map.entry("l3", t(3, 1, 5, 5)), Map.entry("l4", t(1, 1, 5, 5)));
    List<RmbItem> items = List.of(
        pair("1", "Helpfulness/Chat/Discussion", "c1", "r1"),
        pair("2", "Helpfulness/Code/Documentation", "c2", "r2"),
        pair("3", "Harmlessness/S1", "c3", "missing"),
        new RmbItem("4", RmbItem.Kind.BEST_OF_N, "Helpfulness/Chat/Discussion", "p", "b1", List.of("l1", "l2")),
        new RmbItem("5", RmbItem.Kind.BEST_OF_N, "Helpfulness/Chat/Discussion", "p", "b2", List.of("l3", "l4")));

    // when
    List<RmbSetEvaluation.Row> rows = RmbSetEvaluation.evaluate(items, scored,
        Map.of("missing", "too long: needs 600 tokens with all history dropped; the backbone takes 512"));

    // then
    Map<String, RmbSetEvaluation.Row> by = rows.stream().collect(Collectors.toMap(r -> r.set() + ":" + r.group(),
        r -> r));
    RmbSetEvaluation.Row all = by.get("pairwise:all");
    assertThat(all.items()).isEqualTo(3);
    assertThat(all.scored()).isEqualTo(2);
    assertThat(all.accuracy()).isEqualTo(0.5);
    assertThat(all.accuracyWithoutTransform()).isEqualTo(0.5);
    assertThat(all.longerTokensWins()).isEqualTo(0.5);
    assertThat(all.longerCharsWins()).isEqualTo(0.5);
    assertThat(all.failures()).containsExactly(Map.entry("too long: needs N tokens with all history dropped; the "
        + "backbone takes N", 1));
    assertThat(by.get("pairwise:Harmlessness/S1").scored()).isZero();
    assertThat(by.get("pairwise:Harmlessness/S1").accuracy()).isNaN();
    assertThat(by.get("pairwise:Helpfulness/Chat").accuracy()).isEqualTo(1.0);
    assertThat(by.get("pairwise:Helpfulness/Chat/Discussion").longerTokensWins()).isEqualTo(0.0);
    assertThat(by.get("pairwise:Helpfulness").items()).isEqualTo(2);
    RmbSetEvaluation.Row bon = by.get("bon:all");
    assertThat(bon.items()).isEqualTo(2);
    assertThat(bon.accuracy()).isEqualTo(0.5);
    assertThat(bon.accuracyWithoutTransform()).isEqualTo(1.0);
    assertThat(bon.longerTokensWins()).isEqualTo(1.0);
    assertThat(rows).extracting(RmbSetEvaluation.Row::group).contains("Helpfulness/Code/Documentation");
  }
}
