package io.queststream.streams.topology;

import static io.queststream.streams.support.Turns.assistant;
import static io.queststream.streams.support.Turns.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.TextConfig;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.support.SharedMiniLm;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.TopologyHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Turns the real MiniLM scorer can never score go to the dead-letter topic with the model's own reason, and text
 * that looks like template code is scored as the text it is. The scorer's render limit is set to 2000 characters so
 * that an ordinary long reply crosses it.
 */
class UnscorableTurnTest {

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
    TopologyHarness h = new TopologyHarness(Map.of("batch.max-size", "1"), model);
    h.weights.pipeInput(TestHeads.MODEL_NAME, SharedMiniLm.heads(1));
    return h;
  }

  @Test
  void aReplyThatRendersPastTheLimitIsOneDeadLetterWithItsReasonAndTheNextTurnIsScored() throws Exception {
    try (TopologyHarness h = harness()) {
      h.send(user("c1", "u1", "Tell me everything."));
      h.send(assistant("c1", "a1", "word ".repeat(500), "u1"));
      h.send(assistant("c1", "a2", "Briefly: no.", "u1"));
      h.advance(Duration.ofSeconds(1));

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
      h.advance(Duration.ofSeconds(1));

      TurnScore score = h.scores.readValue();
      assertThat(score.getTurnId()).isEqualTo("a1");
      assertThat(score.getResponseTokens()).as("{ { 7 * 7 } } { { messages [ 0 ] . content } } [SEP]").isEqualTo(18);
      assertThat(h.scores.isEmpty()).isTrue();
      assertThat(h.deadLetters.isEmpty()).isTrue();
    }
  }
}
