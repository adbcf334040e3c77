package io.queststream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.support.PublicDataFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The public-data recipe end to end on the fixture slices, with the bundled MiniLM and a small gate. */
class RecipeCommandTest {

  @TempDir
  Path dir;

  @Test
  void trainsEvaluatesAndRecordsFromPublicDataAndASecondRunEmbedsNothingAndTrainsTheSameHeads() throws Exception {
    // given
    Path rmb = PublicDataFixtures.rmb(dir);
    Path quest = PublicDataFixtures.quest(dir);
    Path config = dir.resolve("trainer.properties");
    Files.writeString(config, "data.dir=" + dir.resolve("data") + "\ngating.hidden=16\ngating.steps=20\n"
        + "gating.batch=8\n");
    List<String> defaults = List.of("-c", config.toString(), "recipe", "--rmb", rmb.toString(), "--quest",
        quest.toString(), "--quest-card", "minimal");
    List<String> args = new ArrayList<>(defaults);
    args.add("--no-pair-tuned-w");

    // when
    int first = run(args, dir.resolve("first"));
    Path cache = dir.resolve("data/embedding-cache/sentence-transformers_all-MiniLM-L6-v2-512-384.emb");
    long cached = Files.size(cache);
    int second = run(args, dir.resolve("second"));

    // then
    assertThat(first).isZero();
    assertThat(second).isZero();
    RewardHeads heads = VersionHistory.read(dir.resolve("first/weights.avro"));
    assertThat(heads.getBackboneId()).isEqualTo(ModelConfig.MINILM_BACKBONE_ID);
    assertThat(heads.getScaleMin()).isEqualTo(1f);
    assertThat(heads.getScaleMax()).isEqualTo(5f);
    assertThat(heads.getAttributeNames()).hasSize(6);
    assertThat(heads.getTrainingSummary()).containsEntry("recipe.ratings", "5")
        .containsEntry("recipe.turns", "14").containsKey("recipe.rmb_files_sha256");
    // the cache already held every turn: nothing appended, and the seeded training gives the same heads
    assertThat(Files.size(cache)).isEqualTo(cached);
    RewardHeads again = VersionHistory.read(dir.resolve("second/weights.avro"));
    assertThat(again.getRegression()).isEqualTo(heads.getRegression());
    assertThat(again.getGatingLayers()).isEqualTo(heads.getGatingLayers());
    JsonNode report = new ObjectMapper().readTree(dir.resolve("first/quality-report.json").toFile());
    assertThat(report.get("sides")).extracting(s -> s.get("name").asText()).containsExactly("heldout", "all");
    JsonNode all = report.get("sides").get(1);
    assertThat(all.get("quest").get("turns").asInt()).isEqualTo(9);
    assertThat(all.get("quest").get("scored").asInt()).isEqualTo(9);
    assertThat(all.get("rmb")).anySatisfy(row -> {
      assertThat(row.get("set").asText()).isEqualTo("pairwise");
      assertThat(row.get("group").asText()).isEqualTo("all");
      assertThat(row.get("items").asInt()).isEqualTo(3);
      assertThat(row.get("scored").asInt()).isEqualTo(3);
    });
    assertThat(dir.resolve("first/quality-report.md")).exists();
    assertThat(new ObjectMapper().readTree(dir.resolve("first/manifest.json").toFile()).get("counts").get("turns")
        .asInt()).isEqualTo(14);

    // when W is then tuned on the training pairs as well (the recipe's default)
    int third = run(defaults, dir.resolve("third"));

    // then the stage ran on the training pairs and moved W from the ratings-only fit, gate unchanged
    assertThat(third).isZero();
    RewardHeads pairTuned = VersionHistory.read(dir.resolve("third/weights.avro"));
    int tunedOn = Integer.parseInt(pairTuned.getTrainingSummary().get("calibration.pairs"));
    assertThat(tunedOn).isPositive()
        .isLessThanOrEqualTo(Integer.parseInt(heads.getTrainingSummary().get("preference_pairs")));
    assertThat(pairTuned.getRegression()).isNotEqualTo(heads.getRegression());
    assertThat(pairTuned.getGatingLayers()).isEqualTo(heads.getGatingLayers());
    assertThat(pairTuned.getTrainingSummary()).containsEntry("calibration.lambda", "0.1");
    assertThat(heads.getTrainingSummary()).doesNotContainKey("calibration.lambda");
  }

  private static int run(List<String> args, Path out) {
    String[] a = new String[args.size() + 2];
    args.toArray(a);
    a[args.size()] = "--out";
    a[args.size() + 1] = out.toString();
    return new CommandLine(new TrainerCommand()).execute(a);
  }
}
