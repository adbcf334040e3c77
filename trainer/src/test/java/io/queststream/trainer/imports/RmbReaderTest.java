package io.queststream.trainer.imports;

import static io.queststream.trainer.support.PublicDataFixtures.GOOD;
import static io.queststream.trainer.support.PublicDataFixtures.OTHER;
import static io.queststream.trainer.support.PublicDataFixtures.SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.trainer.support.PublicDataFixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RmbReaderTest {

  @TempDir
  Path dir;

  @Test
  void readsBothSetsWithCategoryPathsWithoutTheirSetPrefixAndOneTurnPerDistinctAnswer() throws Exception {
    // given the fixture tree: 3 well-formed pairwise items (p5 and p1 in Harmlessness/S1, p2 in Chat) and b1
    Path root = PublicDataFixtures.rmb(dir);

    // when
    RmbReader.Result r = new RmbReader(new ImportIssues()).read(root);

    // then
    Map<String, RmbItem> items = r.items().stream().collect(Collectors.toMap(RmbItem::uid, i -> i));
    assertThat(items.keySet()).containsExactlyInAnyOrder("pairwise:p5", "pairwise:p1", "pairwise:p2", "bon:b1");
    assertThat(items.get("pairwise:p1").category()).isEqualTo("Harmlessness/S1");
    assertThat(items.get("pairwise:p2").category()).isEqualTo("Helpfulness/Chat/Discussion");
    assertThat(items.get("pairwise:p2").goal()).isEqualTo("Helpfulness");
    assertThat(items.get("bon:b1").kind()).isEqualTo(RmbItem.Kind.BEST_OF_N);
    // the answers to "What is tea?" are three distinct texts shared by p1, p2 and b1; the lock prompt has two
    assertThat(r.turns()).hasSize(5);
    assertThat(items.get("bon:b1").bestTurnId()).isEqualTo(items.get("pairwise:p1").bestTurnId());
    assertThat(items.get("bon:b1").promptId()).isEqualTo(items.get("pairwise:p1").promptId());
    assertThat(r.turns().stream().map(t -> t.request().response()))
        .contains(GOOD, SHORT, OTHER);
    assertThat(r.turns()).allSatisfy(t -> {
      assertThat(t.request().character()).isNull();
      assertThat(t.request().history()).hasSize(1);
      assertThat(t.splitKey()).isEqualTo(t.contextId());
    });
  }

  @Test
  void countsEveryMalformedItemAndFileByCauseAndKeepsTheRest() throws Exception {
    // given
    Path root = PublicDataFixtures.rmb(dir);
    ImportIssues issues = new ImportIssues();

    // when
    RmbReader.Result r = new RmbReader(issues).read(root);

    // then: files are read in path order, so Harmlessness/S1's p1 comes first and Chat's p1 is the repeat
    assertThat(issues.malformed()).containsOnlyKeys("rmb: pair_uid appears twice",
        "rmb: reject is not an {llm_name, answer} object", "rmb: category_path does not start with Pairwise_set/",
        "rmb: file is not a JSON array of items");
    assertThat(issues.malformed().get("rmb: pair_uid appears twice"))
        .isEqualTo(new ImportIssues.Tally(1, "Pairwise_set/Helpfulness/Chat/Discussion.json#0"));
    assertThat(issues.malformed().get("rmb: file is not a JSON array of items").firstSeen())
        .isEqualTo("BoN_set/Harmlessness/S1.json");
    assertThat(issues.malformedCount()).isEqualTo(4);
    assertThat(r.files()).extracting(SourceFile::path).containsExactly("Pairwise_set/Harmlessness/S1.json",
        "Pairwise_set/Helpfulness/Chat/Discussion.json", "BoN_set/Harmlessness/S1.json",
        "BoN_set/Helpfulness/Chat/Discussion.json");
    assertThat(r.files()).extracting(SourceFile::items).containsExactly(2, 1, 0, 1);
  }

  @Test
  void assignsTheSameIdsOnEveryRead() throws Exception {
    Path root = PublicDataFixtures.rmb(dir);

    RmbReader.Result first = new RmbReader(new ImportIssues()).read(root);
    RmbReader.Result second = new RmbReader(new ImportIssues()).read(root);

    assertThat(second.turns()).extracting(PublicTurn::turnId)
        .containsExactlyElementsOf(first.turns().stream().map(PublicTurn::turnId).toList());
    assertThat(first.turns()).allSatisfy(t -> assertThat(t.turnId()).matches("rmb-[0-9a-f]{16}"));
  }
}
