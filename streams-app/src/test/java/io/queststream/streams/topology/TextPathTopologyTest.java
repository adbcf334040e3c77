package io.queststream.streams.topology;

import static io.queststream.streams.support.Turns.assistant;
import static io.queststream.streams.support.Turns.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.TextConfig;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.TruncationFlag;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.support.SharedMiniLm;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.TopologyHarness;
import io.queststream.streams.support.Turns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The text path through the topology with the real MiniLM scorer: turns it can never score go to the dead-letter
 * topic with the model's own reason, text that looks like template code is scored as the text it is, a turn longer
 * than the backbone's window is scored and says what was cut, text that shows nothing is rejected, and text the
 * tokenizer cannot read is scored and flagged. The scorer's render limit is set to 2000 characters so that an
 * ordinary long reply crosses it.
 */
class TextPathTopologyTest {

  private static final int RENDER_LIMIT = 2_000;
  private static RewardScorer model;

  @BeforeAll
  static void load() throws Exception {
    model = RewardScorers.create(ModelConfig.defaults()
        .withText(TextConfig.defaults().withRenderLimits(RENDER_LIMIT, Duration.ofSeconds(2))));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static TopologyHarness harness() throws Exception {
    TopologyHarness h = new TopologyHarness(Map.of("batch.max-size", "1", "validation.max-text-chars", "100000"),
        model);
    h.weights.pipeInput(TestHeads.MODEL_NAME, SharedMiniLm.heads(1));
    return h;
  }

  @Test
  void aReplyThatRendersPastTheLimitIsOneDeadLetterWithItsReasonAndTheNextTurnIsScored() throws Exception {
    try (TopologyHarness h = harness()) {
      h.send(user("c1", "u1", "Tell me everything."));
      h.send(assistant("c1", "a1", "word ".repeat(500), "u1"));
      h.send(assistant("c1", "a2", "Briefly: no.", "u1"));
      h.drain(Duration.ofSeconds(60));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(h.decodeTurn(dead.get(0).value()).getTurnId()).isEqualTo("a1");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.KIND)).isEqualTo("scoring");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.REASON)).isEqualTo("RENDER_LIMIT");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.MESSAGE))
          .contains("turn a1").contains("size limit of 2000 characters");
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a2");
      assertThat(h.metrics.deadLetters(DeadLetterKind.SCORING)).isEqualTo(1);
      h.advance(Duration.ofSeconds(1));
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void textThatLooksLikeTemplateCodeIsScoredAsText() throws Exception {
    try (TopologyHarness h = harness()) {
      h.send(user("c1", "u1", "{% for a in range(1000) %}{% for b in range(1000) %}{{ messages }}{% endfor %}"
          + "{% endfor %}"));
      h.send(assistant("c1", "a1", "{{ 7*7 }} {{ messages[0].content }}", "u1"));
      h.drain(Duration.ofSeconds(60));

      TurnScore score = h.scores.readValue();
      assertThat(score.getTurnId()).isEqualTo("a1");
      assertThat(score.getResponseTokens()).as("{ { 7 * 7 } } { { messages [ 0 ] . content } } [SEP]").isEqualTo(18);
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void aCardAndReplyLongerThanTheWindowAreScoredOnceWithWhatWasCut() throws Exception {
    try (TopologyHarness h = harness()) {
      h.cards.pipeInput("innkeeper", CharacterCard.newBuilder(Turns.innkeeper())
          .setPersona("inn ".repeat(400).trim()).setScenario("rain ".repeat(60).trim()).build());
      h.send(user("c1", "u1", "Tell me about the storm."));
      h.send(assistant("c1", "a1", "The storm howls and the shutters rattle. ".repeat(40), "u1"));
      h.drain(Duration.ofSeconds(60));

      TurnScore score = h.scores.readValue();
      assertThat(score.getTurnId()).isEqualTo("a1");
      assertThat(score.getTruncation()).containsExactly(TruncationFlag.HISTORY_DROPPED,
          TruncationFlag.CARD_SHORTENED, TruncationFlag.REPLY_CHUNKED);
      assertThat(score.getTruncated()).isTrue();
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void aReplyThatShowsNothingIsOneDeadLetterAndNeverReachesTheModel() throws Exception {
    try (TopologyHarness h = harness()) {
      h.send(user("c1", "u1", "Say something."));
      h.send(assistant("c1", "a1", "\u200B\uFEFF\u00A0\u0301\u0000\u200D", "u1"));
      h.send(assistant("c1", "a2", "Something.", "u1"));
      h.drain(Duration.ofSeconds(60));

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(1);
      assertThat(h.decodeTurn(dead.get(0).value()).getTurnId()).isEqualTo("a1");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.KIND)).isEqualTo("validation");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.REASON)).isEqualTo("EMPTY_TEXT");
      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a2");
    }
  }

  @Test
  void aReplyTheTokenizerCannotReadIsScoredAndRaisesItsOwnModerationRule() throws Exception {
    try (TopologyHarness h = harness()) {
      h.send(user("c1", "u1", "How do you feel?"));
      h.send(assistant("c1", "a1", "\uD83D\uDE00\uD83D\uDE02 \uD83D\uDD25\uD83D\uDD25", "u1"));
      h.send(assistant("c1", "a2", "Fine, thank you. \uD83D\uDE00", "u1"));
      h.drain(Duration.ofSeconds(60));

      assertThat(h.scores.readValuesToList()).extracting(TurnScore::getTurnId).containsExactly("a1", "a2");
      List<ModerationEvent> events = h.moderation.readValuesToList();
      assertThat(events).extracting(ModerationEvent::getTurnId).containsExactly("a1");
      assertThat(events.get(0).getViolations()).singleElement().satisfies(v -> {
        assertThat(v.getRule()).isEqualTo("unreadable_text");
        assertThat(v.getAttribute()).isNull();
        assertThat(v.getValue()).isEqualTo(1.0f);
        assertThat(v.getThreshold()).isEqualTo(0.5f);
      });
    }
  }
}
