package io.queststream.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScorerUnavailableException;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.Truncation;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.weights.RandomHeads;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Turns prepared once and submitted without blocking score exactly as the blocking path scores them. */
class SubmittedTurnsTest {

  private static RewardScorer scorer;

  @BeforeAll
  static void load() throws Exception {
    scorer = RewardScorers.create(ModelConfig.defaults());
  }

  @AfterAll
  static void close() {
    scorer.close();
  }

  private static List<ScoringRequest> requests() {
    List<ChatMessage> history = List.of(new ChatMessage("user", "The engine just died. Can you fix it?"));
    return List.of(
        new ScoringRequest("a", MiniLmScorerTest.MIRA, history, "Hand me the hydrospanner."),
        new ScoringRequest("b", MiniLmScorerTest.MIRA, history, "Of course it died. It always dies near nebulae."),
        new ScoringRequest("c", null, List.of(), "Hello."));
  }

  @Test
  void preparedTurnsSubmittedWithoutBlockingScoreAsTheBlockingPathDoes() throws Exception {
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 3, 11));
    List<PreparedTurn> prepared = new ArrayList<>();
    for (ScoringRequest r : requests()) {
      prepared.add(scorer.prepare(r));
    }

    List<CompletableFuture<RewardResult>> futures = scorer.submit(prepared);
    List<RewardResult> blocking = scorer.score(requests());

    for (int i = 0; i < blocking.size(); i++) {
      RewardResult submitted = futures.get(i).get(60, TimeUnit.SECONDS);
      assertThat(submitted.turnId()).isEqualTo(blocking.get(i).turnId());
      assertThat(prepared.get(i).tokens())
          .isEqualTo(blocking.get(i).promptTokens() + blocking.get(i).responseTokens());
      assertThat(submitted.score()).isCloseTo(blocking.get(i).score(), within(1e-4f));
      assertThat(submitted.weightsVersion()).isEqualTo(3);
    }
  }

  @Test
  void aTurnWithNothingVisibleFailsToPrepareAsTheTurnsOwnFault() {
    ScoringRequest invisible = new ScoringRequest("invisible", null, List.of(), "\u200b\u200b \ufeff");

    assertThatThrownBy(() -> scorer.prepare(invisible)).isInstanceOf(UnscorableTurnException.class)
        .isNotInstanceOf(ScorerUnavailableException.class)
        .satisfies(e -> assertThat(((UnscorableTurnException) e).reason())
            .isEqualTo(UnscorableTurnException.Reason.NO_VISIBLE_TEXT));
  }

  @Test
  void aReplyLongerThanTheWindowIsSubmittedInWindowsAndScoredAsTheBlockingCallScoresIt() throws Exception {
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 4, 11));
    ScoringRequest longReply = new ScoringRequest("long", null, List.of(), "blah ".repeat(600));

    PreparedTurn prepared = scorer.prepare(longReply);
    RewardResult submitted = scorer.submit(List.of(prepared)).get(0).get(60, TimeUnit.SECONDS);
    RewardResult blocking = scorer.score(List.of(longReply)).get(0);

    assertThat(prepared.windows()).hasSizeGreaterThan(1);
    assertThat(submitted.truncation()).containsExactly(Truncation.REPLY_CHUNKED);
    assertThat(submitted.score()).isCloseTo(blocking.score(), within(1e-4f));
  }

  @Test
  void aTurnPreparedElsewhereIsRefused() throws Exception {
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 4, 11));
    PreparedTurn foreign = new PreparedTurn("foreign", "other/encoder", List.of(new TokenWindow(new long[] {101, 7,
        102}, 0, 1, 1, 3)), 1, 2, 1, 0, Set.of());

    assertThatThrownBy(() -> scorer.submit(List.of(foreign))).isInstanceOf(ScoringException.class)
        .isNotInstanceOf(ScorerUnavailableException.class).hasMessageContaining("foreign")
        .hasMessageContaining("other/encoder");
  }
}
