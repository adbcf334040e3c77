package io.queststream.trainer.imports;

import static io.queststream.trainer.support.PublicDataFixtures.GOOD;
import static io.queststream.trainer.support.PublicDataFixtures.OTHER;
import static io.queststream.trainer.support.PublicDataFixtures.SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.support.PublicDataFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicDataImportTest {

  @TempDir
  Path dir;

  private PublicDataImport.Options options(Integer rmbLimit, Integer questLimit) throws Exception {
    return new PublicDataImport.Options(PublicDataFixtures.rmb(dir), PublicDataFixtures.quest(dir), rmbLimit,
        questLimit, QuestSceneReader.CardMode.FULL, 1.0);
  }

  @Test
  void makesOnePairPerPairwiseItemAndPerBestOfNLoserTrainingEachPreferenceOnce() throws Exception {
    PublicDataset data = PublicDataImport.read(options(null, null));

    Map<String, String> text = data.turns().stream()
        .collect(Collectors.toMap(PublicTurn::turnId, t -> t.request().response()));
    List<String> rmbPairs = data.preferences().stream().filter(p -> "rmb".equals(p.getRaterId()))
        .map(p -> text.get(p.getChosenTurnId()) + " > " + text.get(p.getRejectedTurnId())).toList();
    // p1 and b1 both prefer GOOD to SHORT: one pair; b1's repeated loser and p2's identical answers make none
    assertThat(rmbPairs).containsExactlyInAnyOrder("I can't help with breaking into property. > Insert a tension "
        + "wrench, then rake the pins.", GOOD + " > " + SHORT, GOOD + " > " + OTHER);
    assertThat(data.issues().unusable()).containsEntry("rmb: a loser is listed twice",
        new ImportIssues.Tally(1, "bon:b1")).containsEntry("rmb: chosen and rejected are the same answer",
        new ImportIssues.Tally(1, "pairwise:p2"));
    assertThat(data.preferences()).allSatisfy(p -> assertThat(p.getPairId().toString()).matches("pref-[0-9a-f]{16}"));
  }

  @Test
  void givenOneSceneAndOneConversationLeftOutWhenRestrictedThenNothingAboutThemRemainsAndTheRestIsKept()
      throws Exception {
    // given
    PublicDataset data = PublicDataImport.read(options(null, null));
    String scene = data.questTurns().get(0).sceneId();
    String conversation = data.rmbItems().get(0).promptId();
    List<String> left = List.of(scene, conversation);

    // when
    PublicDataset kept = data.restrictTo(key -> !left.contains(key));

    // then
    assertThat(kept.turns()).isNotEmpty().allSatisfy(t -> assertThat(left).doesNotContain(t.splitKey()));
    assertThat(kept.turns()).hasSize((int) data.turns().stream().filter(t -> !left.contains(t.splitKey())).count());
    assertThat(kept.rmbItems()).hasSize((int) data.rmbItems().stream()
        .filter(i -> !i.promptId().equals(conversation)).count());
    assertThat(kept.questTurns()).hasSize((int) data.questTurns().stream()
        .filter(q -> !q.sceneId().equals(scene)).count());
    Map<String, PublicTurn> turns = kept.turnsById();
    assertThat(kept.ratings()).allSatisfy(r -> assertThat(turns).containsKey(r.getTurnId().toString()));
    assertThat(kept.preferences()).allSatisfy(p -> assertThat(turns).containsKeys(p.getChosenTurnId().toString(),
        p.getRejectedTurnId().toString()));
    assertThat(kept.ratings().size() + kept.preferences().size())
        .isLessThan(data.ratings().size() + data.preferences().size());
    assertThat(kept.leaderboard()).isEqualTo(data.leaderboard());
  }

  @Test
  void ratesJudgedRepliesOnTheirOneToFiveScaleAndPairsRepliesToOneContextBeyondTheMargin() throws Exception {
    PublicDataset data = PublicDataImport.read(options(null, null));

    assertThat(data.ratings()).hasSize(5);
    AttributeRating alpha = data.ratings().stream().filter(r -> data.turnsById().get(r.getTurnId().toString())
        .policyModel().equals("alpha")).filter(r -> r.getRatings().get("Contextual Alignment") == 5f).findFirst()
        .orElseThrow();
    assertThat(alpha.getScaleMin()).isEqualTo(1f);
    assertThat(alpha.getScaleMax()).isEqualTo(5f);
    assertThat(alpha.getRatings()).containsOnlyKeys(WeightsContract.QUEST_ATTRIBUTES)
        .containsEntry("Character Consistency", 4f);
    // only the desert context has more than one judged reply: alpha 25, gamma 18, beta 7
    Map<String, String> model = data.turns().stream()
        .collect(Collectors.toMap(PublicTurn::turnId, PublicTurn::policyModel));
    List<String> questPairs = data.preferences().stream().filter(p -> "quest-bench-judge".equals(p.getRaterId()))
        .map(p -> model.get(p.getChosenTurnId()) + ">" + model.get(p.getRejectedTurnId())).toList();
    assertThat(questPairs).containsExactlyInAnyOrder("alpha>gamma", "alpha>beta", "gamma>beta");
  }

  @Test
  void aLimitKeepsTheSameItemsAndWholeContextsOnEveryRun() throws Exception {
    PublicDataset first = PublicDataImport.read(options(2, 6));
    PublicDataset second = PublicDataImport.read(options(2, 6));

    assertThat(first.rmbItems()).hasSize(2).isEqualTo(second.rmbItems());
    // 3 models per context: two whole contexts fit in 6 turns
    assertThat(first.questTurns()).hasSize(6).extracting(QuestTurn::turnId)
        .containsExactlyElementsOf(second.questTurns().stream().map(QuestTurn::turnId).toList());
    assertThat(first.questTurns().stream().map(QuestTurn::contextId).distinct()).hasSize(2);
  }

  @Test
  void writesAManifestWhoseChecksumsSha256sumReproduces() throws Exception {
    PublicDataImport.Options o = options(null, null);
    PublicDataset data = PublicDataImport.read(o);
    Path file = dir.resolve("manifest.json");

    ImportManifest.write(file, ImportManifest.of(data, o, new ImportManifest.Split(42, 0.15,
        TrainingSet.heldOutSplit(42, 0.15))));

    JsonNode m = new ObjectMapper().readTree(file.toFile());
    JsonNode quest = m.get("sources").get(1);
    assertThat(quest.get("licence").asText()).isEqualTo("Apache-2.0");
    StringBuilder listing = new StringBuilder();
    for (JsonNode f : quest.get("files")) {
      byte[] bytes = Files.readAllBytes(o.questRoot().resolve(f.get("path").asText()));
      assertThat(f.get("sha256").asText()).isEqualTo(sha256(bytes));
      listing.append(f.get("sha256").asText()).append("  ").append(f.get("path").asText()).append('\n');
    }
    // the listing sorted by path, as `sha256sum` prints it
    assertThat(quest.get("files_sha256").asText()).isEqualTo(sha256(listing.toString()
        .lines().sorted((a, b) -> a.substring(66).compareTo(b.substring(66))).map(l -> l + "\n")
        .collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8)));
    assertThat(m.get("sources").get(0).get("licence").asText()).startsWith("none stated");
    assertThat(m.get("counts").get("ratings").asInt()).isEqualTo(5);
    assertThat(m.get("split").get("rmb_items_heldout").asInt() + m.get("split").get("rmb_items_training").asInt())
        .isEqualTo(4);
    assertThat(m.get("malformed").get("rmb: pair_uid appears twice").get("count").asInt()).isEqualTo(1);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
