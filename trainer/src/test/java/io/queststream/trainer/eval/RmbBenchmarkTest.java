package io.queststream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.trainer.gating.DenseParams;
import io.queststream.trainer.gating.GatingNetwork;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.training.HeadsRecords;
import io.queststream.trainer.training.TrainedHeads;
import io.queststream.trainer.training.VerbositySignal;
import io.queststream.trainer.transform.VerbosityDebiaser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RmbBenchmarkTest {

  /** Embeds an answer as (its length, 1): with W = [1, 0] the score is the answer's length. */
  private static final RmbBenchmark.Embedder LENGTH = requests -> requests.stream()
      .map(r -> new EmbeddedTurn(r.turnId(), new float[] {1, 0}, new float[] {r.response().length(), 1}, 1, 1,
          Set.of()))
      .toList();

  @Test
  void scoresPairwiseFilesWithTiesCountedWrong(@TempDir Path dir) throws Exception {
    // given one pair won by the longer answer, one tie, one loss, in two categories
    Path file = dir.resolve("pairwise.json");
    Files.writeString(file, """
        [{"pair_uid":"1","conversation_input":[{"role":"user","content":"hi"}],
          "chosen":{"llm_name":"a","answer":"longer"},"reject":{"llm_name":"b","answer":"x"},"category_path":"Chat/Roleplay"},
         {"pair_uid":"2","conversation_input":[{"role":"user","content":"hi"}],
          "chosen":{"llm_name":"a","answer":"same"},"reject":{"llm_name":"b","answer":"also"},"category_path":"Chat/Other"},
         {"pair_uid":"3","conversation_input":[{"role":"user","content":"hi"}],
          "chosen":{"llm_name":"a","answer":"x"},"reject":{"llm_name":"b","answer":"longer"},"category_path":"Code"}]
        """);

    // when
    RmbBenchmark.Result r = RmbBenchmark.pairwise(file, lengthScorer(), LENGTH);

    // then
    assertThat(r.items()).isEqualTo(3);
    assertThat(r.accuracy()).isEqualTo(1.0 / 3);
    assertThat(r.byCategory().get("Chat")).containsExactly(0.5, 2.0);
    assertThat(r.byCategory().get("Code")).containsExactly(0.0, 1.0);
  }

  @Test
  void scoresBestOfNFilesRequiringTheBestAboveEveryLoser(@TempDir Path dir) throws Exception {
    // given one item where the best is longest, one where a loser is as long as the best
    Path file = dir.resolve("bon.json");
    Files.writeString(file, """
        [{"bon_uid":"1","conversation_input":[{"role":"user","content":"hi"}],"bon_best":{"llm_name":"a","answer":"longest"},
          "loser_list":[{"llm_name":"b","answer":"x"},{"llm_name":"c","answer":"xyz"}],"category_path":"Chat"},
         {"bon_uid":"2","conversation_input":[{"role":"user","content":"hi"}],"bon_best":{"llm_name":"a","answer":"abc"},
          "loser_list":[{"llm_name":"b","answer":"x"},{"llm_name":"c","answer":"xyz"}],"category_path":"Chat"}]
        """);

    // when
    RmbBenchmark.Result r = RmbBenchmark.bestOfN(file, lengthScorer(), LENGTH);

    // then
    assertThat(r.accuracy()).isEqualTo(0.5);
  }

  private static HeadsWeights lengthScorer() {
    RidgeFit ridge = new RidgeFit(1, 2, new float[] {1, 0}, List.of());
    GatingNetwork gate = new GatingNetwork(List.of(new DenseParams(2, 1, new float[2], new float[1])), 10f, 1f);
    TrainedHeads heads = new TrainedHeads(List.of("q"), ridge, VerbosityDebiaser.Transform.identity(1), gate,
        VerbositySignal.NONE, new double[0], 0, 0, 0);
    return HeadsRecords.weights(HeadsRecords.toRecord(heads,
        new HeadsRecords.Identity("m", 1, null, "promoted", "b", "mean", 1, 10), Map.of(), Map.of()));
  }
}
