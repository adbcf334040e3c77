package io.queststream.streams.batching;

import static io.queststream.streams.support.Turns.assistant;
import static io.queststream.streams.support.Turns.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.api.ScorerUnavailableException;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.support.HashingScorer;
import io.queststream.streams.support.TopologyHarness;
import io.queststream.streams.topology.ScoringTopology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The micro-batch step handing turns to the model without waiting for it: what is handed over when, what stays in
 * the changelogged buffer while the model works, and what happens when the model refuses, drops or fails work.
 * TopologyTestDriver commits after every input record, so the buffer as seen between records is what a commit holds.
 */
class MicroBatchScorerTest {

  private static final Duration TICK = Duration.ofMillis(5);

  private static int buffered(TopologyHarness h) {
    KeyValueStore<Long, PendingTurn> store = h.driver.getKeyValueStore(ScoringTopology.BUFFER_STORE);
    int n = 0;
    try (KeyValueIterator<Long, PendingTurn> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, PendingTurn> ignored = it.next();
        n++;
      }
    }
    return n;
  }

  private static List<String> scoredTurns(TopologyHarness h) {
    return h.scores.readValuesToList().stream().map(TurnScore::getTurnId).toList();
  }

  @Test
  void anIdleModelGetsEachTurnOnArrivalWithoutWaitingForCompany() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-wait-ms", "60000"))) {
      h.send(assistant("c1", "a1", "Welcome to the inn.", null));
      h.send(assistant("c2", "a2", "The stew is hot.", null));

      assertThat(scoredTurns(h)).containsExactly("a1", "a2");
      assertThat(h.scorer.batches()).extracting(List::size).containsExactly(1, 1);
    }
  }

  @Test
  void aTurnTheModelIsStillScoringKeepsItsBufferEntryUntilItsScoreIsForwarded() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.scorer.holdResults(true);
      h.send(assistant("c1", "a1", "Welcome to the inn.", null));
      h.advance(Duration.ofSeconds(1));

      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(buffered(h)).as("entry committed with the input offset, no delete yet").isEqualTo(1);
      assertThat(h.scorer.batches()).as("handed over once, not again while the model works").hasSize(1);

      h.scorer.finishHeld();
      h.advance(TICK);

      assertThat(scoredTurns(h)).containsExactly("a1");
      assertThat(buffered(h)).isZero();
    }
  }

  @Test
  void outcomesLeaveInBufferOrderEvenWhenALaterTurnFinishesFirst() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.scorer.holdResults(true);
      h.send(assistant("c1", "a1", "First.", null));
      h.send(assistant("c1", "a2", "Second.", null));

      h.scorer.finishHeld("a2");
      h.advance(TICK);
      assertThat(h.scores.isEmpty()).isTrue();

      h.scorer.finishHeld("a1");
      h.advance(TICK);
      assertThat(scoredTurns(h)).containsExactly("a1", "a2");
    }
  }

  @Test
  void aModelThatRefusesWorkIsAskedAgainAfterDoublingPausesAndTheTurnIsNeverDeadLettered() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.scorer.refuse(3);

      h.send(assistant("c1", "a1", "Welcome.", null));
      assertThat(h.metrics.handOversRefused()).as("at arrival; next try after 10 ms").isEqualTo(1);
      h.advance(TICK);
      assertThat(h.metrics.handOversRefused()).isEqualTo(1);
      h.advance(TICK);
      assertThat(h.metrics.handOversRefused()).as("at 10 ms; next try after 20 ms more").isEqualTo(2);
      for (int i = 0; i < 4; i++) {
        h.advance(TICK);
      }
      assertThat(h.metrics.handOversRefused()).as("at 30 ms; next try after 40 ms more").isEqualTo(3);
      for (int i = 0; i < 7; i++) {
        h.advance(TICK);
      }
      assertThat(h.scores.isEmpty()).as("at 65 ms, still paused").isTrue();
      h.advance(TICK);

      assertThat(scoredTurns(h)).containsExactly("a1");
      h.advance(Duration.ofSeconds(1));
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.metrics.handOversRefused()).isEqualTo(3);
      assertThat(h.scorer.batches()).hasSize(1);
    }
  }

  @Test
  void aTurnTheModelDroppedUnrunIsHandedOverAgainNotDeadLettered() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.scorer.holdResults(true);
      h.send(assistant("c1", "a1", "Welcome.", null));
      h.scorer.holdResults(false);
      h.scorer.failHeld(new ScorerUnavailableException("batcher closed before the request ran"));

      h.advance(TICK);
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(buffered(h)).isEqualTo(1);
      h.advance(Duration.ofMillis(10));

      assertThat(scoredTurns(h)).containsExactly("a1");
      h.advance(Duration.ofSeconds(1));
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.scorer.batches()).hasSize(2);
    }
  }

  @Test
  void anErrorFromTheModelEndsTheStreamThreadAndDeadLettersNothing() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.scorer.holdResults(true);
      h.send(assistant("c1", "a1", "Welcome.", null));
      h.scorer.failHeld(new OutOfMemoryError("simulated: the model ran out of memory"));

      assertThatThrownBy(() -> h.advance(TICK)).isInstanceOf(OutOfMemoryError.class);

      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(buffered(h)).as("the turn stays pending for the restarted app").isEqualTo(1);
    }
  }

  @Test
  void aDeadLetterOfATurnThatFailedLaterNamesTheTurnsOwnOffset() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.scorer.holdResults(true);
      h.scorer.failOn("UNSCORABLE");
      h.send(user("c1", "u1", "Sing for us."));
      h.send(assistant("c1", "a1", "UNSCORABLE noise", "u1"));
      h.scorer.finishHeld();

      h.send(assistant("c2", "a2", "A fine song.", null));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(h.decodeTurn(dead.get(0).value()).getTurnId()).isEqualTo("a1");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.OFFSET)).isEqualTo("1");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.KIND)).isEqualTo("scoring");
    }
  }

  @Test
  void atTheInFlightLimitWithAFullBatchWaitingTheStreamThreadWaitsForAResultBeforeTakingMoreInput() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "1",
        "batch.max-in-flight", "2"))) {
      h.scorer.finishWhenAwaited(true);
      h.send(assistant("c1", "a1", "One.", null));
      h.send(assistant("c2", "a2", "Two.", null));
      assertThat(h.metrics.registry().get("quest.batch.backpressure.wait").timer().count()).isZero();

      h.send(assistant("c3", "a3", "Three.", null));

      assertThat(h.metrics.registry().get("quest.batch.backpressure.wait").timer().count()).isEqualTo(1);
      assertThat(scoredTurns(h)).as("the oldest result, awaited before a3's record was done").containsExactly("a1");
      assertThat(h.scorer.batches()).extracting(b -> b.get(0).turnId()).containsExactly("a1", "a2", "a3");
      assertThat(buffered(h)).isEqualTo(2);
    }
  }

  @Test
  void aTurnTheTemplateCannotRenderIsDeadLetteredOnArrivalAndItsNeighboursAreScored() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of())) {
      h.send(assistant("c1", "a1", "Fine.", null));
      h.send(assistant("c1", "a2", "A reply " + HashingScorer.UNRENDERABLE + " for the template.", null));
      h.send(assistant("c1", "a3", "Also fine.", null));
      h.advance(Duration.ofSeconds(1));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(h.decodeTurn(dead.get(0).value()).getTurnId()).isEqualTo("a2");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.OFFSET)).isEqualTo("1");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.MESSAGE))
          .contains("the chat template failed on it on purpose");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.REASON)).isEqualTo("TEMPLATE_ERROR");
      assertThat(h.metrics.deadLetters(DeadLetterKind.SCORING)).isEqualTo(1);
      assertThat(scoredTurns(h)).containsExactly("a1", "a3");
      assertThat(buffered(h)).isZero();
    }
  }

  @Test
  void givenABusyModel_whenTheBatchSizeIsLoweredWhileTheAppRuns_thenTheNextHandOverUsesIt() {
    try (TopologyHarness h = TopologyHarness.withWeights(Map.of("batch.max-size", "4", "batch.max-wait-ms", "60000"))) {
      h.scorer.busy(true);
      h.send(assistant("c1", "a1", "One.", null));
      h.send(assistant("c2", "a2", "Two.", null));
      h.advance(TICK);
      assertThat(h.scorer.batches()).as("two of four turns, the model busy: they wait").isEmpty();

      h.batching.change(Map.of("batch.max-size", "2"));
      h.advance(TICK);

      assertThat(h.scorer.batches()).extracting(b -> b.stream().map(t -> t.turnId()).toList())
          .containsExactly(List.of("a1", "a2"));
      assertThat(h.metrics.registry().get("quest.batch.limit").tag("limit", "max_size").gauge().value())
          .isEqualTo(2.0);
      assertThat(h.metrics.registry().get("quest.batch.limit.changes").counter().count()).isEqualTo(1.0);
    }
  }
}
