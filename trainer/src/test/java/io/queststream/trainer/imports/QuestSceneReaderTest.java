package io.queststream.trainer.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.ChatMessage;
import io.queststream.trainer.support.PublicDataFixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestSceneReaderTest {

  @TempDir
  Path dir;

  @Test
  void rendersTheSceneAsTheCardAndTheRequestAsTheOnlyUserMessage() throws Exception {
    Path root = PublicDataFixtures.quest(dir);

    QuestSceneReader.Result full = new QuestSceneReader(new ImportIssues(), QuestSceneReader.CardMode.FULL)
        .read(root);
    QuestSceneReader.Result minimal = new QuestSceneReader(new ImportIssues(), QuestSceneReader.CardMode.MINIMAL)
        .read(root);

    PublicTurn sefa = full.turns().stream().filter(t -> t.policyModel().equals("alpha"))
        .filter(t -> t.request().character().name().equals("Sefa")).findFirst().orElseThrow();
    // free-form profile: a null age is left out, an extra field is kept in the profile's order
    assertThat(sefa.request().character().persona())
        .isEqualTo("Personality: Calm\nOccupation: Caravan guide\nCommunication style: Gentle");
    assertThat(sefa.request().character().scenario()).isEqualTo("Setting: A desert caravan at dusk.\nStory so far: "
        + "The well was dry.\nCurrent state: Tired.\nObjectives: Guide the caravan to water.");
    assertThat(sefa.request().history()).containsExactly(new ChatMessage("user", "Where is the water?"));
    assertThat(sefa.request().response()).isEqualTo("Sefa points east, past the dunes.");
    assertThat(sefa.characterId()).isEqualTo(sefa.splitKey()).startsWith("quest-scene-");
    PublicTurn marco = minimal.turns().stream().filter(t -> t.request().character().name().equals("Marco"))
        .findFirst().orElseThrow();
    assertThat(marco.request().character().persona())
        .isEqualTo("Personality: Antagonistic, protective\nCommunication style: Direct");
    assertThat(marco.request().character().scenario()).isEqualTo("Current state: Soaked. Desperate.");
  }

  @Test
  void keepsEveryReplyButRatesOnlyThoseWithUsableJudgeScoresCountingEachCause() throws Exception {
    Path root = PublicDataFixtures.quest(dir);
    ImportIssues issues = new ImportIssues();

    QuestSceneReader.Result r = new QuestSceneReader(issues, QuestSceneReader.CardMode.FULL).read(root);

    assertThat(r.turns()).hasSize(9);
    Map<String, Long> ratedPerModel = r.scored().stream().filter(QuestTurn::rated)
        .collect(Collectors.groupingBy(QuestTurn::policyModel, Collectors.counting()));
    assertThat(ratedPerModel).containsExactlyInAnyOrderEntriesOf(Map.of("alpha", 3L, "beta", 1L, "gamma", 1L));
    assertThat(issues.malformed()).containsOnlyKeys("quest-bench: a score is outside the 1-5 scale",
        "quest-bench: total_score is not the sum of the scores");
    assertThat(issues.unusable()).containsOnlyKeys("quest-bench: reply was never judged (empty scores)",
        "quest-bench: reply was never judged (all scores 0)");
    assertThat(issues.malformed().get("quest-bench: a score is outside the 1-5 scale").firstSeen())
        .isEqualTo("results/scene/benchmark_gamma_1runs.json#0");
    // three contexts over two scenes, answered by all three models
    assertThat(r.scored().stream().map(QuestTurn::contextId).distinct()).hasSize(3);
    assertThat(r.scored().stream().map(QuestTurn::sceneId).distinct()).hasSize(2);
  }

  @Test
  void readsOnlyTheSceneResultsOfEachModelAndTheLeaderboard() throws Exception {
    Path root = PublicDataFixtures.quest(dir);

    QuestSceneReader.Result r = new QuestSceneReader(new ImportIssues(), QuestSceneReader.CardMode.FULL).read(root);

    assertThat(r.files()).extracting(SourceFile::path).containsExactly("results/scene/benchmark_alpha_1runs.json",
        "results/scene/benchmark_beta_1runs.json", "results/scene/benchmark_gamma_1runs.json",
        "results/leaderboard_scene_full.csv");
    assertThat(r.leaderboard()).containsExactly(Map.entry("alpha", 22.5), Map.entry("beta", 18.25));
  }
}
