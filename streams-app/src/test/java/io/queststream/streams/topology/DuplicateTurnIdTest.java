package io.queststream.streams.topology;

import static io.queststream.streams.support.Turns.assistant;
import static io.queststream.streams.support.Turns.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.ChatMessage;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.support.TopologyHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class DuplicateTurnIdTest {

  @Test
  void aRepeatedAssistantTurnIdIsDeadLetteredWithItsCauseAndTheTurnIsScoredOnce() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(user("c1", "u1", "Is there a room free?"));
      h.send(assistant("c1", "a1", "One room left, traveller.", "u1"));
      ChatTurn copy = assistant("c1", "a1", "One room left, traveller.", "u1");
      h.send(copy);
      h.send(assistant("c1", "a2", "It has a view of the sea.", "u1"));

      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a1", "a2");
      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(1);
      TestRecord<byte[], byte[]> d = dead.get(0);
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND)).isEqualTo("validation");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("DUPLICATE_TURN_ID");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.MESSAGE))
          .isEqualTo("turn a1 of conversation c1 was already received (first copy at offset 1); a turn id is "
              + "scored once");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("2");
      assertThat(h.decodeTurn(d.value())).isEqualTo(copy);
      assertThat(h.metrics.duplicateTurns()).isEqualTo(1);
      assertThat(h.metrics.deadLetters(DeadLetterKind.VALIDATION)).isEqualTo(1);
    }
  }

  @Test
  void aRepeatedUserTurnIdDoesNotEnterTheHistoryTwice() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(user("c1", "u1", "Is there a room free?"));
      h.send(user("c1", "u1", "Is there a room free?"));
      h.send(assistant("c1", "a1", "One room left.", null));

      assertThat(h.scorer.requests()).hasSize(1);
      assertThat(h.scorer.requests().get(0).history()).extracting(ChatMessage::text)
          .containsExactly("Is there a room free?");
      assertThat(h.deadLetters.readRecordsToList()).extracting(d ->
          DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON)).containsExactly("DUPLICATE_TURN_ID");
    }
  }

  @Test
  void regenerationsAndTheSameTurnIdInAnotherConversationAreEachScored() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(user("c1", "u1", "Tell me a story."));
      h.send(assistant("c1", "a1", "Once upon a time.", "u1"));
      h.send(assistant("c1", "a1-regen-1", "Long ago, in the north.", "u1"));
      h.send(user("c2", "u1", "Tell me a story."));
      h.send(assistant("c2", "a1", "There was a dragon.", "u1"));

      assertThat(h.scores.readRecordsToList()).extracting(r -> r.key() + "/" + r.value().getTurnId())
          .containsExactly("c1/a1", "c1/a1-regen-1", "c2/a1");
      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.metrics.duplicateTurns()).isZero();
    }
  }

  @Test
  void conversationAndTurnIdsCannotCombineIntoAnotherPairsKey() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(assistant("c1", "1a", "First.", null));
      h.send(assistant("c11", "a", "Second.", null));

      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("1a", "a");
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void aTurnIdIsRememberedForTheRetentionAndForgottenAfterIt() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1",
        "validation.turn-id-retention-ms", Long.toString(Duration.ofHours(1).toMillis())))) {
      h.send(assistant("c1", "a1", "Welcome.", null));
      h.advance(Duration.ofMinutes(59));
      h.send(assistant("c1", "a1", "Welcome.", null));
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a1");
      assertThat(h.deadLetters.readRecordsToList()).hasSize(1);

      h.advance(Duration.ofMinutes(2));
      h.send(assistant("c1", "a1", "Welcome.", null));

      assertThat(h.scores.readValuesToList()).as("a copy after the retention is a new request")
          .extracting(TurnScore::getTurnId).containsExactly("a1");
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }
}
