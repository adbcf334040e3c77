package io.queststream.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SampleDatasetTest {

  private static SampleDataset data;

  @BeforeAll
  static void loadCommittedData() {
    data = SampleData.load();
  }

  @Test
  void countsAreInTheDocumentedRanges() {
    assertThat(data.cards()).hasSize(20);
    assertThat(data.turnsByConversation()).hasSize(300);
    assertThat(assistantTurns()).hasSizeBetween(1500, 3500);
    assertThat(data.ratings()).hasSizeGreaterThan(assistantTurns().size() / 2);
    assertThat(data.preferencePairs()).hasSizeBetween(500, 3000);
    assertThat(data.rankings()).hasSizeBetween(50, 500);
    assertThat(data.policyElo()).hasSizeBetween(4, 5);
    assertThat(data.trueQualities()).hasSize(assistantTurns().size());
  }

  @Test
  void everyConversationHasTwoToSixExchangesWithOneCharacterAndOneUser() {
    data.turnsByConversation().forEach((conversationId, turns) -> {
      assertThat(turns.stream().filter(isUser())).as(conversationId).hasSizeBetween(2, 6);
      assertThat(turns.stream().map(ChatTurn::getCharacterId).distinct()).as(conversationId).hasSize(1);
      assertThat(turns.stream().map(ChatTurn::getUserId).distinct()).as(conversationId).hasSize(1);
      assertThat(data.card(turns.get(0).getCharacterId())).as(conversationId).isPresent();
    });
  }

  @Test
  void everyParentExistsInTheSameConversationAndAlternatesRoles() {
    for (ChatTurn turn : data.turns()) {
      if (turn.getParentTurnId() == null) {
        assertThat(turn.getRole()).as(turn.getTurnId()).isEqualTo("user");
        assertThat(data.turnsByConversation().get(turn.getConversationId()).get(0)).isSameAs(turn);
        continue;
      }
      ChatTurn parent = data.turn(turn.getParentTurnId()).orElseThrow();
      assertThat(parent.getConversationId()).as(turn.getTurnId()).isEqualTo(turn.getConversationId());
      assertThat(parent.getRole()).as(turn.getTurnId()).isNotEqualTo(turn.getRole());
      assertThat(parent.getCreatedAt()).as(turn.getTurnId()).isBefore(turn.getCreatedAt());
    }
  }

  @Test
  void turnsAreInCreationOrderWithinEachConversation() {
    data.turnsByConversation().forEach((conversationId, turns) -> {
      for (int i = 1; i < turns.size(); i++) {
        assertThat(turns.get(i).getCreatedAt()).as(conversationId).isAfter(turns.get(i - 1).getCreatedAt());
      }
    });
  }

  @Test
  void onlyAssistantTurnsNameAPolicyModelAndEveryModelIsInTheEloTable() {
    assertThat(data.turns().stream().filter(isUser())).allMatch(turn -> turn.getPolicyModel() == null);
    assertThat(assistantTurns()).allMatch(turn -> data.policyElo().containsKey(turn.getPolicyModel()));
    assertThat(assistantTurns().stream().map(ChatTurn::getPolicyModel).collect(Collectors.toSet()))
        .isEqualTo(data.policyElo().keySet());
  }

  @Test
  void aboutHalfOfTheUserTurnsHaveTwoToFourRegenerations() {
    List<ChatTurn> userTurns = data.turns().stream().filter(isUser()).toList();
    long regenerated = userTurns.stream().filter(turn -> data.alternatives(turn.getTurnId()).size() > 1).count();

    assertThat((double) regenerated / userTurns.size()).isBetween(0.4, 0.6);
    assertThat(userTurns).allSatisfy(turn ->
        assertThat(data.alternatives(turn.getTurnId())).hasSizeBetween(1, 4));
  }

  @Test
  void ratingsAreOnTheOneToTenScaleForKnownAttributesOfAssistantTurns() {
    Set<String> attributes = Set.of(QuestAttribute.values()).stream()
        .map(QuestAttribute::label).collect(Collectors.toSet());
    for (AttributeRating rating : data.ratings()) {
      assertThat(rating.getScaleMin()).isEqualTo(1f);
      assertThat(rating.getScaleMax()).isEqualTo(10f);
      assertThat(rating.getRatings()).as(rating.getRatingId()).isNotEmpty();
      assertThat(rating.getRatings().keySet()).as(rating.getRatingId()).isSubsetOf(attributes);
      assertThat(rating.getRatings().values()).as(rating.getRatingId()).allSatisfy(value ->
          assertThat(value).isBetween(1f, 10f));
      assertThat(data.turn(rating.getTurnId())).get().extracting(ChatTurn::getRole).isEqualTo("assistant");
    }
  }

  @Test
  void someTurnsAreRatedOnASubsetAndSomeByTwoRaters() {
    long partial = data.ratings().stream()
        .filter(rating -> rating.getRatings().size() < QuestAttribute.values().length).count();
    Map<String, Long> ratingsPerTurn = data.ratings().stream()
        .collect(Collectors.groupingBy(AttributeRating::getTurnId, Collectors.counting()));

    assertThat(partial).isGreaterThan(100);
    assertThat(ratingsPerTurn.values().stream().filter(count -> count > 1).count()).isGreaterThan(100);
  }

  @Test
  void preferencePairsCompareAlternativesOfOneContextAndChooseTheBetterOne() {
    for (PreferencePair pair : data.preferencePairs()) {
      assertThat(pair.getChosenTurnId()).as(pair.getPairId()).isNotEqualTo(pair.getRejectedTurnId());
      ChatTurn chosen = data.turn(pair.getChosenTurnId()).orElseThrow();
      ChatTurn rejected = data.turn(pair.getRejectedTurnId()).orElseThrow();
      assertThat(chosen.getParentTurnId()).as(pair.getPairId()).isEqualTo(pair.getContextId());
      assertThat(rejected.getParentTurnId()).as(pair.getPairId()).isEqualTo(pair.getContextId());
      assertThat(overall(chosen)).as(pair.getPairId()).isGreaterThan(overall(rejected));
    }
  }

  @Test
  void moderatorPairsRejectOutOfCharacterOrDegenerateReplies() {
    List<PreferencePair> moderated = data.preferencePairs().stream()
        .filter(pair -> pair.getSource().equals("moderator")).toList();

    assertThat(moderated).hasSizeGreaterThan(10);
    assertThat(moderated).allSatisfy(pair -> {
      ConstructedQuality rejected = data.trueQuality(pair.getRejectedTurnId()).orElseThrow();
      assertThat(rejected.degenerate()
          || rejected.level(QuestAttribute.CHARACTER_CONSISTENCY) == QualityLevel.POOR).isTrue();
    });
  }

  @Test
  void rankingsOrderAllAlternativesOfAContextBestFirst() {
    for (Ranking ranking : data.rankings()) {
      List<String> ids = ranking.getTurnIdsBestFirst();
      assertThat(ids).as(ranking.getRankingId()).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
      assertThat(ids).containsExactlyInAnyOrderElementsOf(
          data.alternatives(ranking.getContextId()).stream().map(ChatTurn::getTurnId).toList());
      for (int i = 1; i < ids.size(); i++) {
        assertThat(overall(data.turn(ids.get(i - 1)).orElseThrow()))
            .isGreaterThan(overall(data.turn(ids.get(i)).orElseThrow()));
      }
    }
  }

  @Test
  void inCharacterRepliesAreRatedAboveCharacterBreakingOnesOnCharacterConsistency() {
    String attribute = QuestAttribute.CHARACTER_CONSISTENCY.label();
    double inCharacter = meanRating(attribute, QuestAttribute.CHARACTER_CONSISTENCY, QualityLevel.GOOD);
    double breaking = meanRating(attribute, QuestAttribute.CHARACTER_CONSISTENCY, QualityLevel.POOR);

    assertThat(inCharacter - breaking).isGreaterThan(4.0);
  }

  @Test
  void everyAttributesRatingsFollowItsConstructedLevel() {
    for (QuestAttribute attribute : QuestAttribute.values()) {
      double good = meanRating(attribute.label(), attribute, QualityLevel.GOOD);
      double plain = meanRating(attribute.label(), attribute, QualityLevel.PLAIN);
      double poor = meanRating(attribute.label(), attribute, QualityLevel.POOR);
      assertThat(good).as(attribute.label()).isGreaterThan(plain + 2);
      assertThat(plain).as(attribute.label()).isGreaterThan(poor + 1);
    }
  }

  @Test
  void characterBreakingRepliesSayIt() {
    Predicate<ChatTurn> breaksCharacter = turn -> {
      ConstructedQuality quality = data.trueQuality(turn.getTurnId()).orElseThrow();
      return !quality.degenerate() && quality.level(QuestAttribute.CHARACTER_CONSISTENCY) == QualityLevel.POOR;
    };
    List<String> outOfCharacter = List.of("AI", "language model", "roleplay", "user", "assistant", "fictional");

    assertThat(assistantTurns().stream().filter(breaksCharacter))
        .hasSizeGreaterThan(100)
        .allSatisfy(turn -> assertThat(turn.getText()).containsAnyOf(outOfCharacter.toArray(String[]::new)));
    assertThat(assistantTurns().stream().filter(breaksCharacter.negate()).filter(turn ->
        !data.trueQuality(turn.getTurnId()).orElseThrow().degenerate()))
        .noneMatch(turn -> turn.getText().contains("language model"));
  }

  @Test
  void includesAFewDegenerateRepliesForModerationDemos() {
    List<String> degenerate = data.trueQualities().entrySet().stream()
        .filter(entry -> entry.getValue().degenerate()).map(Map.Entry::getKey).toList();

    Map<String, List<AttributeRating>> moderatorRatings = data.ratings().stream()
        .filter(rating -> rating.getSource().equals("moderator"))
        .collect(Collectors.groupingBy(AttributeRating::getTurnId));

    assertThat(degenerate).hasSizeBetween(10, 150);
    assertThat(moderatorRatings.keySet()).containsExactlyInAnyOrderElementsOf(degenerate);
    assertThat(moderatorRatings.values().stream().flatMap(List::stream))
        .allSatisfy(rating -> assertThat(rating.getRatings().values())
            .allSatisfy(value -> assertThat(value).isLessThan(4f)));
  }

  @Test
  void strongerModelsWinMorePreferencesThanWeakerOnes() {
    Map<String, int[]> winsAndGames = new HashMap<>();
    for (PreferencePair pair : data.preferencePairs()) {
      String winner = data.turn(pair.getChosenTurnId()).orElseThrow().getPolicyModel();
      String loser = data.turn(pair.getRejectedTurnId()).orElseThrow().getPolicyModel();
      winsAndGames.computeIfAbsent(winner, model -> new int[2])[0]++;
      winsAndGames.computeIfAbsent(winner, model -> new int[2])[1]++;
      winsAndGames.computeIfAbsent(loser, model -> new int[2])[1]++;
    }
    List<String> byElo = data.policyElo().keySet().stream().toList();
    String strongest = byElo.get(0);
    String weakest = byElo.get(byElo.size() - 1);

    assertThat(winRate(winsAndGames.get(strongest))).isGreaterThan(0.6);
    assertThat(winRate(winsAndGames.get(weakest))).isLessThan(0.4);
  }

  @Test
  void repliesAreVaried() {
    List<String> texts = assistantTurns().stream().map(ChatTurn::getText).toList();
    Set<String> distinct = new HashSet<>(texts);

    assertThat((double) distinct.size() / texts.size()).isGreaterThan(0.95);
  }

  @Test
  void historyOfAReplyIsTheChainOfTurnsItAnswers() {
    // given a regenerated reply late in a conversation
    ChatTurn reply = assistantTurns().stream()
        .filter(turn -> turn.getTurnId().endsWith("-t03-r2"))
        .findFirst().orElseThrow();

    // when
    List<ChatTurn> history = data.history(reply.getTurnId());

    // then: user, kept reply, user, kept reply, user; no sibling alternatives
    assertThat(history).hasSize(5);
    assertThat(history.get(0).getParentTurnId()).isNull();
    assertThat(history.get(4).getTurnId()).isEqualTo(reply.getParentTurnId());
    assertThat(history).filteredOn(turn -> turn.getRole().equals("assistant"))
        .allSatisfy(turn -> assertThat(turn.getMetadata()).containsEntry("kept", "true"));
    assertThat(history).doesNotContain(reply);
  }

  @Test
  void timeOrderInterleavesConversationsAndKeepsEachConversationsOrder() {
    List<ChatTurn> live = data.turnsInTimeOrder();

    assertThat(live).hasSameSizeAs(data.turns());
    for (int i = 1; i < live.size(); i++) {
      assertThat(live.get(i).getCreatedAt()).isAfterOrEqualTo(live.get(i - 1).getCreatedAt());
    }
    assertThat(live.stream().limit(40).map(ChatTurn::getConversationId).distinct().count()).isGreaterThan(1);
    assertThat(live.stream().filter(turn -> turn.getConversationId().equals("conv-0002")).toList())
        .isEqualTo(data.turnsByConversation().get("conv-0002"));
  }

  @Test
  void trueScoresFollowTheConstructedLevels() {
    ConstructedQuality quality = data.trueQualities().values().stream()
        .filter(candidate -> !candidate.degenerate()).findFirst().orElseThrow();

    assertThat(quality.trueScores()).hasSize(6).allSatisfy((label, score) ->
        assertThat(score).isEqualTo(quality.level(QuestAttribute.fromLabel(label)).trueScore()));
    assertThat(quality.overall()).isEqualTo(
        quality.trueScores().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
  }

  @Test
  void historyOfAnUnknownTurnIsRejected() {
    assertThatThrownBy(() -> data.history("conv-9999-t01"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conv-9999-t01");
  }

  @Test
  void collectionsCannotBeModified() {
    assertThatThrownBy(() -> data.turns().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> data.policyElo().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> data.turnsByConversation().get("conv-0001").clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static double meanRating(String label, QuestAttribute attribute, QualityLevel level) {
    return data.ratings().stream()
        .filter(rating -> rating.getRatings().containsKey(label))
        .filter(rating -> {
          ConstructedQuality quality = data.trueQuality(rating.getTurnId()).orElseThrow();
          return !quality.degenerate() && quality.level(attribute) == level;
        })
        .mapToDouble(rating -> rating.getRatings().get(label))
        .average()
        .orElseThrow();
  }

  private static double overall(ChatTurn turn) {
    return data.trueQuality(turn.getTurnId()).orElseThrow().overall();
  }

  private static double winRate(int[] winsAndGames) {
    return (double) winsAndGames[0] / winsAndGames[1];
  }

  private static List<ChatTurn> assistantTurns() {
    return data.turns().stream().filter(turn -> turn.getRole().equals("assistant")).toList();
  }

  private static Predicate<ChatTurn> isUser() {
    return turn -> turn.getRole().equals("user");
  }
}
