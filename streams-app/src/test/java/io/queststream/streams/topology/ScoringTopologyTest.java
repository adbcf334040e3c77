package io.queststream.streams.topology;

import static io.queststream.streams.support.Turns.assistant;
import static io.queststream.streams.support.Turns.system;
import static io.queststream.streams.support.Turns.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.deadletters.DeadLetterFit;
import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.support.HashingScorer;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.TopologyHarness;
import io.queststream.streams.support.Turns;
import io.queststream.streams.weights.WeightsRejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScoringTopologyTest {

  private static List<String> historyTexts(ScoringRequest r) {
    return r.history().stream().map(ChatMessage::text).toList();
  }

  @Test
  void userAndSystemTurnsOnlyUpdateHistoryAndAssistantTurnsAreScoredWithThem() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.send(system("c1", "t0", "The inn is quiet tonight."));
      h.send(user("c1", "t1", "Is there a room free?"));
      h.advance(Duration.ofSeconds(1));
      assertThat(h.scores.isEmpty()).isTrue();

      h.send(assistant("c1", "t2", "One room left, traveller.", "t1"));
      h.advance(Duration.ofMillis(100));

      TurnScore score = h.scores.readValue();
      assertThat(score.getTurnId()).isEqualTo("t2");
      assertThat(score.getConversationId()).isEqualTo("c1");
      assertThat(score.getAttributes()).hasSize(TestHeads.ATTRIBUTES.size());
      assertThat(score.getTopK()).hasSize(3);
      assertThat(score.getWeightsVersion()).isEqualTo(1);
      assertThat(score.getBackboneId()).isEqualTo(HashingScorer.BACKBONE_ID);
      assertThat(historyTexts(h.scorer.requests().get(0)))
          .containsExactly("The inn is quiet tonight.", "Is there a room free?");
      assertThat(h.scores.isEmpty()).isTrue();
    }
  }

  @Test
  void aBusyModelGetsAFullBatchAtOnce() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-wait-ms", "60000"))) {
      h.scorer.busy(true);
      for (int i = 0; i < 4; i++) {
        h.send(assistant("c" + i, "a" + i, "Welcome to the inn.", null));
      }

      List<TurnScore> scores = h.scores.readValuesToList();
      assertThat(scores).extracting(TurnScore::getTurnId).containsExactly("a0", "a1", "a2", "a3");
      assertThat(scores).allSatisfy(s -> assertThat(s.getBatchSize()).isEqualTo(4));
      assertThat(h.scorer.batches()).hasSize(1);
    }
  }

  @Test
  void aBusyModelGetsTheBufferOnceItHoldsTheTokenBudget() {
    try (TopologyHarness h = TopologyHarness.withWeights(
        Map.of("batch.max-wait-ms", "60000", "batch.token-budget", "6"))) {
      h.scorer.busy(true);
      h.send(assistant("c1", "a1", "one two three", null));
      assertThat(h.scores.isEmpty()).isTrue();

      h.send(assistant("c2", "a2", "four five six", null));

      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a1", "a2");
    }
  }

  @Test
  void aBusyModelGetsAPartialBatchOnceItsOldestTurnHasWaitedTheMaximumWait() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-wait-ms", "50"))) {
      h.scorer.busy(true);
      h.send(assistant("c1", "a1", "Hello there.", null));
      h.advance(Duration.ofMillis(20));
      assertThat(h.scores.isEmpty()).isTrue();

      h.advance(Duration.ofMillis(40));

      TurnScore score = h.scores.readValue();
      assertThat(score.getTurnId()).isEqualTo("a1");
      assertThat(score.getBatchSize()).isEqualTo(1);
    }
  }

  @Test
  void regenerationsAreScoredAgainstTheSameContextWithoutTheirSiblings() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(user("c1", "u1", "Tell me a story."));
      h.send(assistant("c1", "a1", "Once upon a time.", "u1"));
      h.send(assistant("c1", "a2", "Long ago, in the north.", "u1"));
      h.send(assistant("c1", "a3", "There was a dragon.", "u1"));
      h.send(user("c1", "u2", "Go on."));
      h.send(assistant("c1", "a4", "It slept for a century.", "u2"));

      List<ScoringRequest> requests = h.scorer.requests();
      assertThat(requests).extracting(ScoringRequest::turnId).containsExactly("a1", "a2", "a3", "a4");
      assertThat(historyTexts(requests.get(0))).containsExactly("Tell me a story.");
      assertThat(historyTexts(requests.get(1))).containsExactly("Tell me a story.");
      assertThat(historyTexts(requests.get(2))).containsExactly("Tell me a story.");
      assertThat(historyTexts(requests.get(3))).containsExactly("Tell me a story.", "There was a dragon.", "Go on.");
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getParentTurnId)
          .containsExactly("u1", "u1", "u1", "u2");
    }
  }

  @Test
  void historyIsBoundedByTurnsAndTheScoreSaysItWasTruncated() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1", "history.max-turns", "2"))) {
      h.send(user("c1", "u1", "first"));
      h.send(user("c1", "u2", "second"));
      h.send(user("c1", "u3", "third"));
      h.send(assistant("c1", "a1", "answer", null));

      assertThat(historyTexts(h.scorer.requests().get(0))).containsExactly("second", "third");
      assertThat(h.scores.readValue().getTruncated()).isTrue();
    }
  }

  @Test
  void historyIsBoundedByTokens() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1", "history.max-tokens", "5"))) {
      h.send(user("c1", "u1", "one two three"));
      h.send(user("c1", "u2", "four five"));
      h.send(user("c1", "u3", "six seven"));
      h.send(assistant("c1", "a1", "answer", null));

      assertThat(historyTexts(h.scorer.requests().get(0))).containsExactly("four five", "six seven");
    }
  }

  @Test
  void untruncatedHistoryIsNotFlagged() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(user("c1", "u1", "hello"));
      h.send(assistant("c1", "a1", "hi", "u1"));

      assertThat(h.scores.readValue().getTruncated()).isFalse();
    }
  }

  @Test
  void idleConversationsAreForgotten() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1",
        "history.idle-expiry-ms", "60000", "history.expiry-scan-interval-ms", "10000"))) {
      h.send(user("c1", "u1", "Remember me?"));
      h.advance(Duration.ofMinutes(2));

      h.send(assistant("c1", "a1", "I do not.", null));

      assertThat(h.scorer.requests().get(0).history()).isEmpty();
      assertThat(h.metrics.registry().get("quest.history.expired").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void knownCharacterCardIsRenderedIntoTheRequest() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.cards.pipeInput("innkeeper", Turns.innkeeper());
      h.send(assistant("c1", "a1", "Welcome.", null));

      assertThat(h.scorer.requests().get(0).character().name()).isEqualTo("Mara");
      assertThat(h.scores.readValue().getCharacterMissing()).isFalse();
    }
  }

  @Test
  void unknownCharacterIsScoredWithoutACardAndFlagged() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(assistant("c1", "a1", "Welcome.", null));
      ChatTurn noCharacter = assistant("c2", "a2", "Welcome.", null);
      noCharacter.setCharacterId(null);
      h.send(noCharacter);

      assertThat(h.scorer.requests()).allSatisfy(r -> assertThat(r.character()).isNull());
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getCharacterMissing).containsExactly(true, true);
      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.metrics.registry().get("quest.characters.missing").counter().count()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "{4}")
  @CsvSource({
      "c1,  '',  user,      hello,  MISSING_TURN_ID",
      "c1,  t1,  narrator,  hello,  UNKNOWN_ROLE",
      "c1,  t1,  user,      '   ',  EMPTY_TEXT",
      "c9,  t1,  user,      hello,  KEY_MISMATCH",
  })
  void turnsThatBreakADomainRuleGoToTheDeadLetterTopicWithTheirCause(String key, String turnId, String role,
      String text, String reason) {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      ChatTurn bad = Turns.turn("c1", turnId, role, text, null);
      h.turns.pipeInput(key, bad);

      TestRecord<byte[], byte[]> dead = h.deadLetters.readRecord();
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.KIND)).isEqualTo("validation");
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo(reason);
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.MESSAGE)).isNotBlank();
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.TOPIC)).isEqualTo("chat-turns");
      assertThat(new String(dead.key())).isEqualTo(key);
      assertThat(h.decodeTurn(dead.value())).isEqualTo(bad);
      assertThat(h.metrics.deadLetters(DeadLetterKind.VALIDATION)).isEqualTo(1);
      h.advance(Duration.ofSeconds(1));
      assertThat(h.scores.isEmpty()).isTrue();
    }
  }

  @Test
  void undecodableTurnsAreDeadLetteredByTheTopologyItselfAtTheirPositionAndTheConversationGoesOn() {
    // A failing source-side handler: were chat-turns decoded by the source node, the first record would stop here.
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1",
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailExceptionHandler.class.getName()))) {
      h.rawTurns.pipeInput("c1", "not avro at all".getBytes(StandardCharsets.UTF_8));
      h.rawTurns.pipeInput("c1", new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4});
      h.send(user("c1", "u1", "Is there a room free?"));
      h.send(assistant("c1", "a1", "One, under the eaves.", "u1"));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).extracting(d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND),
              d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON),
              d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.OFFSET),
              d -> new String(d.key(), StandardCharsets.UTF_8))
          .containsExactly(tuple("deserialization", "BAD_MAGIC_BYTE", "0", "c1"),
              tuple("deserialization", "UNKNOWN_SCHEMA_ID", "1", "c1"));
      assertThat(dead.get(0).value()).isEqualTo("not avro at all".getBytes(StandardCharsets.UTF_8));
      assertThat(dead.get(1).value()).isEqualTo(new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4});
      assertThat(h.metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isEqualTo(2);
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a1");
    }
  }

  @Test
  void turnsWhoseKeysAreNotUtf8AreRefusedAndNeverMeetAsOneConversation() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      TestInputTopic<byte[], ChatTurn> byteKeys = h.driver.createInputTopic(h.topics.chatTurns().name(),
          new ByteArraySerializer(), h.topics.chatTurns().valueSerde().serializer());
      // Two different keys that a lenient decoder reads alike, as "c" and U+FFFD, the id the turns claim.
      byteKeys.pipeInput(new byte[] {'c', (byte) 0xff}, user("c\ufffd", "u1", "Is there a room free?"));
      byteKeys.pipeInput(new byte[] {'c', (byte) 0xe2, (byte) 0x82},
          assistant("c\ufffd", "a1", "One, under the eaves.", "u1"));
      h.send(user("c1", "u2", "Is there a room free?"));
      h.send(assistant("c1", "a2", "One, under the eaves.", "u2"));

      // Kafka Streams writes their dead letters from the deserialization handler (reason MALFORMED_KEY, checked in
      // TransientFailureHandlersTest and against a real broker in BadInputIT); the test driver does not pass those on.
      assertThat(h.metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isEqualTo(2);
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a2");
    }
  }

  @Test
  void oversizedTextGoesToTheDeadLetterTopic() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("validation.max-text-chars", "10"))) {
      h.send(user("c1", "t1", "far more than ten characters"));

      TestRecord<byte[], byte[]> dead = h.deadLetters.readRecord();
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("OVERSIZED_TEXT");
    }
  }

  @Test
  void aDeadLetterTooLargeForItsTopicIsCutAndSaysHowLongTheRecordWas() {
    // given a dead-letter topic that takes records of 80 KiB, and a turn of 100,000 characters
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of(DeadLetterLimit.CONFIG_KEY, "81920"))) {
      ChatTurn turn = user("c1", "t1", "x".repeat(100_000));
      byte[] whole = h.topics.chatTurns().valueSerde().serializer().serialize(h.topics.chatTurns().name(), turn);

      // when it is refused as oversized
      h.send(turn);

      // then exactly one dead letter: the record's first 80 KiB less the room for headers, and its length
      TestRecord<byte[], byte[]> dead = h.deadLetters.readRecord();
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("OVERSIZED_TEXT");
      assertThat(dead.value()).isEqualTo(Arrays.copyOf(whole, 81920 - DeadLetterFit.ROOM));
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterFit.VALUE_CUT_FROM))
          .isEqualTo(Integer.toString(whole.length));
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterFit.KEY_CUT_FROM)).isNull();
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void anUndecodableRecordWithAHugeKeyIsDeadLetteredCut() {
    // given a dead-letter topic that takes records of 80 KiB
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of(DeadLetterLimit.CONFIG_KEY, "81920"))) {
      byte[] garbage = new byte[100_000];
      Arrays.fill(garbage, (byte) 'g');
      String key = "k".repeat(5000);

      // when 100,000 bytes that are not Avro arrive under a 5,000-byte key
      h.rawTurns.pipeInput(key, garbage);

      // then exactly one dead letter, key and value cut, both lengths in headers
      TestRecord<byte[], byte[]> dead = h.deadLetters.readRecord();
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("BAD_MAGIC_BYTE");
      assertThat(dead.key()).isEqualTo(Arrays.copyOf(key.getBytes(StandardCharsets.UTF_8), 4096));
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterFit.KEY_CUT_FROM)).isEqualTo("5000");
      assertThat(dead.value()).isEqualTo(Arrays.copyOf(garbage, 81920 - DeadLetterFit.ROOM));
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterFit.VALUE_CUT_FROM)).isEqualTo("100000");
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void kafkaStreamsOwnDeadLetterIsCutToFitToo() {
    // given a dead-letter topic that takes records of 70,000 bytes, and a turn of 10,000 characters that fails
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1",
        DeadLetterLimit.CONFIG_KEY, "70000"))) {
      ChatTurn turn = user("c1", "u1", "a " + HashingScorer.POISON + " pill " + "z".repeat(10_000));
      byte[] whole = h.topics.chatTurns().valueSerde().serializer().serialize(h.topics.chatTurns().name(), turn);

      // when processing it throws
      h.send(turn);

      // then Kafka Streams' dead letter of it is cut like the app's own
      TestRecord<byte[], byte[]> dead = h.deadLetters.readRecord();
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.EXCEPTION))
          .isEqualTo(IllegalStateException.class.getName());
      assertThat(dead.value()).isEqualTo(Arrays.copyOf(whole, 70000 - DeadLetterFit.ROOM));
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterFit.VALUE_CUT_FROM))
          .isEqualTo(Integer.toString(whole.length));
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void anExceptionWhileProcessingGoesToKafkaStreamsDeadLetterQueueAndIsCounted() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(user("c1", "u1", "a " + HashingScorer.POISON + " pill"));
      h.send(assistant("c2", "a1", "Still here.", null));

      TestRecord<byte[], byte[]> dead = h.deadLetters.readRecord();
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.EXCEPTION))
          .isEqualTo(IllegalStateException.class.getName());
      assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.MESSAGE)).contains("on purpose");
      assertThat(h.metrics.deadLetters(DeadLetterKind.PROCESSING)).isEqualTo(1);
      assertThat(h.scores.readValue().getTurnId()).isEqualTo("a1");
    }
  }

  @Test
  void aTurnTheTokenizerFailsOnYieldsExactlyOneDeadLetterAndItsNeighboursAreScored() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "2"))) {
      h.send(user("c1", "u1", "Is there a room free?"));
      h.send(assistant("c1", "a1", "One room left.", "u1"));
      h.send(assistant("c1", "a2", "A " + HashingScorer.POISON + " reply.", "u1"));
      h.send(assistant("c1", "a3", "Two rooms, in fact.", "u1"));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.OFFSET)).isEqualTo("2");
      assertThat(h.metrics.deadLetters(DeadLetterKind.PROCESSING)).isEqualTo(1);
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a1", "a3");
      assertThat(h.scorer.requests()).extracting(ScoringRequest::turnId).containsExactly("a1", "a3");
    }
  }

  @Test
  void aFailedBatchGoesToTheDeadLetterTopicAndTheAppKeepsScoring() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "2"))) {
      h.scorer.failing(true);
      h.send(assistant("c1", "a1", "first", null));
      h.send(assistant("c2", "a2", "second", null));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(2);
      assertThat(dead).allSatisfy(d -> {
        assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND)).isEqualTo("scoring");
        assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.MESSAGE)).contains("failed on purpose");
      });
      assertThat(dead).extracting(d -> h.decodeTurn(d.value()).getTurnId()).containsExactly("a1", "a2");
      assertThat(h.metrics.deadLetters(DeadLetterKind.SCORING)).isEqualTo(2);

      h.scorer.failing(false);
      h.send(assistant("c3", "a3", "third", null));
      h.send(assistant("c4", "a4", "fourth", null));
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a3", "a4");
    }
  }

  @Test
  void aTurnThatCannotBeScoredDoesNotTakeTheRestOfItsBatchToTheDeadLetterTopic() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "3"))) {
      h.scorer.busy(true);
      h.scorer.failOn("UNSCORABLE");
      h.send(assistant("c1", "a1", "first", null));
      h.send(assistant("c2", "a2", "UNSCORABLE second", null));
      h.send(assistant("c3", "a3", "third", null));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).extracting(d -> h.decodeTurn(d.value()).getTurnId()).containsExactly("a2");
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a1", "a3");
      assertThat(h.scorer.batches()).hasSize(1);
      assertThat(h.metrics.deadLetters(DeadLetterKind.SCORING)).isEqualTo(1);
    }
  }

  @Test
  void turnsBelowThresholdsRaiseAModerationEventListingEveryBrokenRule() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1",
        "moderation.score-min", "1000",
        "moderation.attribute.character-consistency.min", "100",
        "moderation.attribute.descriptive-depth.min", "-100"))) {
      h.send(assistant("c1", "a1", "Mm.", null));

      TurnScore score = h.scores.readValue();
      ModerationEvent event = h.moderation.readValue();
      assertThat(event.getTurnId()).isEqualTo("a1");
      assertThat(event.getTextExcerpt()).isEqualTo("Mm.");
      assertThat(event.getViolations()).extracting(RuleViolation::getRule)
          .containsExactlyInAnyOrder("score", "attribute:Character Consistency");
      RuleViolation consistency = event.getViolations().stream()
          .filter(v -> "Character Consistency".equals(v.getAttribute())).findFirst().orElseThrow();
      float onScale = score.getAttributes().stream()
          .filter(a -> a.getAttribute().equals("Character Consistency")).findFirst().orElseThrow()
          .getRewardOnScale();
      assertThat(consistency.getValue()).isEqualTo(onScale);
      assertThat(consistency.getThreshold()).isEqualTo(100f);
      assertThat(h.metrics.registry().get("quest.moderation.events").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void turnsAboveEveryThresholdRaiseNoModerationEvent() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1",
        "moderation.score-min", "-1000", "moderation.attribute.character-consistency.min", "-100"))) {
      h.send(assistant("c1", "a1", "A fine answer.", null));

      assertThat(h.scores.readValue().getTurnId()).isEqualTo("a1");
      assertThat(h.moderation.isEmpty()).isTrue();
    }
  }

  @Test
  void publishesEmbeddingsKeyedByTurnUnlessDisabled() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(assistant("c1", "a1", "Hello.", null));
      var embedding = h.embeddings.readRecord();
      assertThat(embedding.key()).isEqualTo("a1");
      assertThat(embedding.value().getEmbeddingDim()).isEqualTo(HashingScorer.DIM);
      assertThat(embedding.value().getResponseEmbedding().getCols()).isEqualTo(HashingScorer.DIM);
    }
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1", "embeddings.enabled", "false"))) {
      h.send(assistant("c1", "a1", "Hello.", null));
      assertThat(h.scores.readValue().getTurnId()).isEqualTo("a1");
      assertThat(h.embeddings.isEmpty()).isTrue();
    }
  }

  @Test
  void turnsWaitInTheBufferUntilWeightsArriveAndAreThenScoredWithThem() {
    try (TopologyHarness h = new TopologyHarness(Map.of())) {
      h.send(assistant("c1", "a1", "Hello.", null));
      h.send(assistant("c2", "a2", "Hi.", null));
      h.advance(Duration.ofSeconds(5));
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();

      h.publishWeights(7);
      h.advance(Duration.ofMillis(100));

      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getWeightsVersion).containsExactly(7L, 7L);
      assertThat(h.metrics.registry().get("quest.weights.version").gauge().value()).isEqualTo(7);
    }
  }

  @Test
  void newWeightsAreHotSwappedAndEachScoreCarriesTheVersionInForce() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(assistant("c1", "a1", "Hello.", null));
      h.publishWeights(2);
      h.send(assistant("c1", "a2", "Hello.", null));

      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getWeightsVersion).containsExactly(1L, 2L);
    }
  }

  @Test
  void invalidWeightsAreRejectedReportedAndTheRunningVersionStays() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.weights.pipeInput(TestHeads.MODEL_NAME, TestHeads.of("other-backbone", 16, 2, 2));
      h.send(assistant("c1", "a1", "Hello.", null));

      assertThat(h.scores.readValue().getWeightsVersion()).isEqualTo(1);
      assertThat(h.rejections).singleElement().satisfies(r -> {
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.reason()).isEqualTo(InvalidWeightsException.Reason.BACKBONE_MISMATCH);
        assertThat(r.message()).isEqualTo("weights quest-rm v2 are for backbone 'other-backbone' (mean pooling), "
            + "this scorer runs 'hashing-8' (mean pooling)");
        assertThat(r.topic()).isEqualTo("reward-weights");
      });
      assertThat(h.metrics.weightsRejections()).isEqualTo(1);
      assertThat(h.metrics.deadLetters(DeadLetterKind.WEIGHTS)).isEqualTo(1);
    }
  }

  @Test
  void weightsForAnotherModelNameAreRejectedWhenAnotherModelIsConfigured() {
    try (TopologyHarness h = new TopologyHarness(Map.of("weights.model-name", "someone-else"))) {
      h.publishWeights(1);
      assertThat(h.scorer.currentWeights()).isEmpty();
      assertThat(h.rejections).singleElement().extracting(WeightsRejection::reason)
          .isEqualTo(InvalidWeightsException.Reason.MODEL_NAME_MISMATCH);
    }
  }

  @Test
  void scoreCarriesTokenCountsAndLatencyFromTheTurnsRecordTime() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1"))) {
      h.send(user("c1", "u1", "one two"));
      h.turns.pipeInput("c1", assistant("c1", "a1", "three four five", "u1"),
          TopologyHarness.START.minusMillis(250));

      TurnScore s = h.scores.readValue();
      assertThat(s.getPromptTokens()).isEqualTo(2);
      assertThat(s.getResponseTokens()).isEqualTo(3);
      assertThat(s.getEndToEndLatencyMs()).isEqualTo(250);
      assertThat(s.getPolicyModel()).isEqualTo("policy-a");
    }
  }
}
