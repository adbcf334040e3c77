package io.queststream.streams.analytics.selections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.TurnSelection;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.support.AnalyticsHarness;
import io.queststream.streams.support.Scores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class SelectionPairingTest {

  private static final Map<String, String> SETTINGS = Map.of("analytics.selections.resolve-timeout-ms", "60000",
      "analytics.selections.scan-interval-ms", "1000");
  private static final String CONVERSATION = "c-1";
  private static final long SELECTED_AT = 10_000;

  @Test
  void givenThreeScoredRepliesWhenOneIsSelectedThenItIsPreferredOverEachOfTheOtherTwoWithItsProvenance() {
    try (AnalyticsHarness h = new AnalyticsHarness(SETTINGS)) {
      // given three regenerations of u1, scored
      h.score(reply("r1", "u1", 1_000), 1);
      h.score(reply("r2", "u1", 2_000), 2);
      h.score(reply("r3", "u1", 3_000), 3);

      // when the user keeps r2
      h.select(selection("s1", "u1", "r2"), 4);

      // then exactly two pairs: r2 over r1 and over r3, keyed by the parent, naming the selection and the user
      List<PreferencePair> pairs = pairs(h);
      assertThat(pairs).extracting(PreferencePair::getPairId, PreferencePair::getChosenTurnId,
              PreferencePair::getRejectedTurnId)
          .containsExactlyInAnyOrder(tuple("s1/r1", "r2", "r1"), tuple("s1/r3", "r2", "r3"));
      assertThat(pairs).allSatisfy(p -> {
        assertThat(p.getContextId()).isEqualTo("u1");
        assertThat(p.getConversationId()).isEqualTo(CONVERSATION);
        assertThat(p.getSelectionId()).isEqualTo("s1");
        assertThat(p.getSource()).isEqualTo("swipe");
        assertThat(p.getRaterId()).isEqualTo("user-7");
        assertThat(p.getWeight()).isEqualTo(1f);
        assertThat(p.getCreatedAt()).isEqualTo(Instant.ofEpochMilli(SELECTED_AT));
      });
      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.metrics.selections("resolved")).isEqualTo(1);
    }
  }

  @Test
  void givenASelectionBeforeTheScoresWhenTheRepliesAreScoredThenEachDiscardedReplyGetsOnePairAsItArrives() {
    try (AnalyticsHarness h = new AnalyticsHarness(SETTINGS)) {
      // given a selection of r2 that reaches the analytics before any score of u1's replies
      h.select(selection("s1", "u1", "r2"), 1);

      // when r1, then r2, then r3 are scored, and r4, written after the selection, too
      h.score(reply("r1", "u1", 1_000), 2);
      assertThat(h.derivedPreferences.isEmpty()).isTrue();
      h.score(reply("r2", "u1", 2_000), 3);
      h.score(reply("r3", "u1", 3_000), 4);
      h.score(reply("r4", "u1", SELECTED_AT + 1), 5);

      // then r2 is preferred over r1 and r3 once each; r4 was never shown with r2, so it has no pair
      assertThat(pairs(h)).extracting(PreferencePair::getRejectedTurnId).containsExactlyInAnyOrder("r1", "r3");
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void givenASelectionWhoseTurnIsNeverScoredWhenTheResolveTimeoutPassesThenExactlyOneUnknownTurnDeadLetter() {
    try (AnalyticsHarness h = new AnalyticsHarness(SETTINGS)) {
      // given replies of u1 and a selection of a turn no score ever names
      h.score(reply("r1", "u1", 1_000), 1);
      h.select(selection("s1", "u1", "r-missing"), 2);

      // when less than the timeout passes, it still waits
      h.driver.advanceWallClockTime(Duration.ofSeconds(30));
      assertThat(h.deadLetters.isEmpty()).isTrue();

      // and once the timeout has passed
      h.driver.advanceWallClockTime(Duration.ofSeconds(31));

      // then it is dead-lettered once, with its reason and the selection as sent
      assertRejected(h, "s1", SelectionRejection.Reason.UNKNOWN_TURN);
      h.driver.advanceWallClockTime(Duration.ofSeconds(120));
      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.derivedPreferences.isEmpty()).isTrue();
    }
  }

  @Test
  void givenAReplyOfAnotherParentWhenItIsSelectedThenExactlyOneWrongParentDeadLetterAndNoPair() {
    try (AnalyticsHarness h = new AnalyticsHarness(SETTINGS)) {
      // given replies to u1 and to u2
      h.score(reply("r1", "u1", 1_000), 1);
      h.score(reply("r2", "u1", 2_000), 2);
      h.score(reply("q1", "u2", 3_000), 3);

      // when a selection for u1 names u2's reply, before and after that reply is scored
      h.select(selection("s1", "u1", "q1"), 4);
      h.select(selection("s2", "u1", "q2"), 5);
      h.score(reply("q2", "u2", 4_000), 6);

      // then both are refused as naming another parent's reply
      assertThat(deadLetterReasons(h)).containsExactly(tuple("s1", "WRONG_PARENT"), tuple("s2", "WRONG_PARENT"));
      assertThat(h.derivedPreferences.isEmpty()).isTrue();
    }
  }

  @Test
  void givenAResolvedSelectionWhenItIsSentAgainOrAnotherReplyIsSelectedThenEachIsDeadLetteredAndNoPairIsAdded() {
    try (AnalyticsHarness h = new AnalyticsHarness(SETTINGS)) {
      h.score(reply("r1", "u1", 1_000), 1);
      h.score(reply("r2", "u1", 2_000), 2);
      h.select(selection("s1", "u1", "r2"), 3);
      assertThat(pairs(h)).hasSize(1);

      // when the same selection comes again, a second selection for u1 chooses r1, one chooses a turn not scored yet,
      // and one chooses a reply to u2 (its own fault comes first)
      h.score(reply("q1", "u2", 3_000), 4);
      h.select(selection("s1", "u1", "r2"), 5);
      h.select(selection("s9", "u1", "r1"), 6);
      h.select(selection("s10", "u1", "r-later"), 7);
      h.select(selection("s11", "u1", "q1"), 8);

      // then one dead letter each, and no more pairs
      assertThat(deadLetterReasons(h)).containsExactly(tuple("s1", "DUPLICATE_SELECTION"),
          tuple("s9", "PARENT_ALREADY_SELECTED"), tuple("s10", "PARENT_ALREADY_SELECTED"),
          tuple("s11", "WRONG_PARENT"));
      assertThat(h.derivedPreferences.isEmpty()).isTrue();
    }
  }

  @Test
  void givenAPendingSelectionWhenTheSameSelectionComesAgainThenTheCopyIsDeadLetteredAndTheFirstStillResolves() {
    try (AnalyticsHarness h = new AnalyticsHarness(SETTINGS)) {
      h.select(selection("s1", "u1", "r2"), 1);
      h.select(selection("s1", "u1", "r2"), 2);
      assertRejected(h, "s1", SelectionRejection.Reason.DUPLICATE_SELECTION);

      h.score(reply("r1", "u1", 1_000), 3);
      h.score(reply("r2", "u1", 2_000), 4);

      assertThat(pairs(h)).extracting(PreferencePair::getPairId).containsExactly("s1/r1");
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void givenASelectionWithAnEmptyIdOrItsParentAsChoiceThenEachIsAnInvalidSelectionDeadLetter() {
    try (AnalyticsHarness h = new AnalyticsHarness(SETTINGS)) {
      h.score(reply("r1", "u1", 1_000), 1);
      h.select(selection("", "u1", "r1"), 2);
      h.select(selection("s2", "u1", "u1"), 3);

      assertThat(deadLetterReasons(h))
          .containsExactly(tuple("", "INVALID_SELECTION"), tuple("s2", "INVALID_SELECTION"));
      assertThat(h.derivedPreferences.isEmpty()).isTrue();
    }
  }

  @Test
  void givenAnIdleParentWhenTheRetentionPassesThenItsRepliesAreForgottenAndALateSelectionIsUnknown() {
    Map<String, String> settings = Map.of("analytics.selections.resolve-timeout-ms", "60000",
        "analytics.selections.scan-interval-ms", "1000", "analytics.selections.retention-ms", "600000");
    try (AnalyticsHarness h = new AnalyticsHarness(settings)) {
      h.score(reply("r1", "u1", 1_000), 1);
      h.score(reply("r2", "u1", 2_000), 2);
      h.driver.advanceWallClockTime(Duration.ofMinutes(11));

      h.select(selection("s1", "u1", "r2"), 3);
      h.driver.advanceWallClockTime(Duration.ofMinutes(2));

      assertRejected(h, "s1", SelectionRejection.Reason.UNKNOWN_TURN);
      assertThat(h.derivedPreferences.isEmpty()).isTrue();
    }
  }

  private static TurnScore reply(String turnId, String parent, long createdAtMs) {
    return TurnScore.newBuilder(Scores.score(turnId, "m-a", "innkeeper", 1, 5, 5, 1))
        .setConversationId(CONVERSATION).setParentTurnId(parent).setTurnCreatedAt(Instant.ofEpochMilli(createdAtMs))
        .build();
  }

  private static TurnSelection selection(String id, String parent, String chosen) {
    return TurnSelection.newBuilder().setSelectionId(id).setConversationId(CONVERSATION).setParentTurnId(parent)
        .setChosenTurnId(chosen).setUserId("user-7").setCreatedAt(Instant.ofEpochMilli(SELECTED_AT)).build();
  }

  private static List<PreferencePair> pairs(AnalyticsHarness h) {
    return h.derivedPreferences.readKeyValuesToList().stream().map(kv -> {
      assertThat(kv.value).isInstanceOf(PreferencePair.class);
      PreferencePair p = (PreferencePair) kv.value;
      assertThat(kv.key).isEqualTo(p.getContextId());
      return p;
    }).toList();
  }

  /** The selection id and reason of each dead letter, which must each be of kind selection and carry the record. */
  private static List<org.assertj.core.groups.Tuple> deadLetterReasons(AnalyticsHarness h) {
    return h.deadLetters.readRecordsToList().stream().map(r -> {
      assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.KIND)).isEqualTo(DeadLetterKind.SELECTION.tag());
      assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.TOPIC)).isEqualTo("turn-selections");
      TurnSelection sent = h.topics.turnSelections().valueSerde().deserializer().deserialize("turn-selections",
          r.value());
      return tuple(sent.getSelectionId(), DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON));
    }).toList();
  }

  private static void assertRejected(AnalyticsHarness h, String selectionId, SelectionRejection.Reason reason) {
    List<TestRecord<byte[], byte[]>> letters = h.deadLetters.readRecordsToList();
    assertThat(letters).hasSize(1);
    assertThat(new String(letters.get(0).key())).isEqualTo(CONVERSATION);
    assertThat(DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.REASON)).isEqualTo(reason.name());
    assertThat(DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.KIND))
        .isEqualTo(DeadLetterKind.SELECTION.tag());
    TurnSelection sent = h.topics.turnSelections().valueSerde().deserializer()
        .deserialize("turn-selections", letters.get(0).value());
    assertThat(sent.getSelectionId()).isEqualTo(selectionId);
    assertThat(h.appMetrics.deadLetters(DeadLetterKind.SELECTION)).isEqualTo(1);
  }
}
