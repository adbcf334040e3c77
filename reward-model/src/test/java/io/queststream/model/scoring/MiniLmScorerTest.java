package io.queststream.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.Truncation;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsMath;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.RandomHeads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmScorerTest {

  private static RewardScorer scorer;

  static final CharacterProfile MIRA = new CharacterProfile("mira", "Mira",
      "A sardonic starship mechanic who hides kindness behind sarcasm.", "The ship's engine died near a nebula.");

  static ScoringRequest request(String id, String response) {
    return new ScoringRequest(id, MIRA, List.of(
        new ChatMessage("user", "The engine just died. Can you fix it?"),
        new ChatMessage("assistant", "Of course it did. Hand me the hydrospanner."),
        new ChatMessage("user", "Here. How long will it take?")), response);
  }

  @BeforeAll
  static void load() throws Exception {
    scorer = RewardScorers.create(ModelConfig.defaults());
  }

  @AfterAll
  static void close() {
    scorer.close();
  }

  @Test
  void loadsBundledMiniLmOfflineAsA384DimensionalMeanPoolingBackbone() {
    assertThat(scorer.backbone().id()).isEqualTo(ModelConfig.MINILM_BACKBONE_ID);
    assertThat(scorer.backbone().embeddingDim()).isEqualTo(384);
    assertThat(scorer.backbone().pooling()).isEqualTo("mean");
    assertThat(scorer.backbone().device()).isEqualTo("cpu()");
  }

  @Test
  void scoresWithHeadsMatchingTheReferenceMathOnTheSameEmbeddings() throws Exception {
    RewardHeads heads = RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 7, 42);
    scorer.installWeights(heads);
    HeadsWeights reference = HeadsWeights.decode(heads, 384);

    List<RewardResult> results = scorer.score(List.of(
        request("t1", "Twenty minutes, if the nebula stops sneezing static into my wiring."),
        request("t2", "Dunno.")));

    assertThat(results).extracting(RewardResult::turnId).containsExactly("t1", "t2");
    for (RewardResult r : results) {
      HeadsMath.Output expected = HeadsMath.forward(reference, r.promptEmbedding(), r.responseEmbedding());
      assertThat(r.score()).isCloseTo(expected.score(), within(1e-5f));
      for (int k = 0; k < expected.rewards().length; k++) {
        assertThat(r.attributes().get(k).reward()).isCloseTo(expected.rewards()[k], within(1e-5f));
        assertThat(r.attributes().get(k).gating()).isCloseTo(expected.gating()[k], within(1e-6f));
        assertThat(r.attributes().get(k).coefficient()).isCloseTo(expected.coefficients()[k], within(1e-6f));
        assertThat(r.attributes().get(k).rewardOnScale())
            .isCloseTo(Math.max(1f, Math.min(10f, 1f + expected.rewards()[k] * 9f)), within(1e-4f));
      }
      assertThat(r.weightsVersion()).isEqualTo(7);
      assertThat(r.backboneId()).isEqualTo(ModelConfig.MINILM_BACKBONE_ID);
      assertThat(r.topK()).hasSize(3);
      assertThat(Math.abs(r.topK().get(0).coefficient()))
          .isGreaterThanOrEqualTo(Math.abs(r.topK().get(2).coefficient()));
      assertThat(r.promptTokens()).isPositive();
      assertThat(r.responseTokens()).isPositive();
      assertThat(r.truncated()).isFalse();
    }
    assertThat(results.get(0).score()).isNotEqualTo(results.get(1).score());
  }

  @Test
  void aCandidateScoresEveryTurnOnTheSameEmbeddingsAsTheServingHeadsUntilItIsCleared() throws Exception {
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 20, 42));
    RewardHeads candidate = RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 21, 43);
    assertThat(scorer.installCandidate(candidate).version()).isEqualTo(21);
    HeadsWeights reference = HeadsWeights.decode(candidate, 384);
    try {
      List<RewardResult> shadowed = scorer.score(List.of(
          request("s1", "Twenty minutes, if the nebula stops sneezing static into my wiring."),
          request("s2", "Dunno.")));
      for (RewardResult r : shadowed) {
        assertThat(r.weightsVersion()).isEqualTo(20);
        RewardResult c = r.candidate();
        assertThat(c).isNotNull();
        assertThat(c.turnId()).isEqualTo(r.turnId());
        assertThat(c.weightsVersion()).isEqualTo(21);
        assertThat(c.promptEmbedding()).isSameAs(r.promptEmbedding());
        HeadsMath.Output expected = HeadsMath.forward(reference, r.promptEmbedding(), r.responseEmbedding());
        assertThat(c.score()).isCloseTo(expected.score(), within(1e-5f));
        for (int k = 0; k < expected.rewards().length; k++) {
          assertThat(c.attributes().get(k).reward()).isCloseTo(expected.rewards()[k], within(1e-5f));
        }
        assertThat(c.score()).isNotEqualTo(r.score());
      }
    } finally {
      scorer.clearCandidate();
    }
    assertThat(scorer.currentCandidate()).isEmpty();
    assertThat(scorer.score(List.of(request("s3", "Dunno."))).get(0).candidate()).isNull();
  }

  @Test
  void concurrentCallersGetTheSameScoresAsOneAtATimeWhileWeightsAreSwapped() throws Exception {
    Map<Long, HeadsWeights> versions = new ConcurrentHashMap<>();
    for (long v = 10; v < 14; v++) {
      RewardHeads heads = RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, v, v);
      versions.put(v, HeadsWeights.decode(heads, 384));
    }
    scorer.installWeights(versions.get(10L).record());
    List<ScoringRequest> requests = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      requests.add(request("c" + i, "Reply number " + i + " " + "with more words ".repeat(i % 5)));
    }
    Map<String, float[]> alone = new HashMap<>();
    for (ScoringRequest r : requests) {
      alone.put(r.turnId(), scorer.embed(List.of(r)).get(0).responseEmbedding());
    }

    ExecutorService callers = Executors.newFixedThreadPool(8);
    List<Future<List<RewardResult>>> calls = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      List<ScoringRequest> mine = requests.subList(t * 3, t * 3 + 3);
      calls.add(callers.submit(() -> scorer.score(mine)));
    }
    for (long v = 11; v < 14; v++) {
      scorer.installWeights(versions.get(v).record());
    }
    List<RewardResult> all = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      List<RewardResult> got = calls.get(t).get(120, TimeUnit.SECONDS);
      assertThat(got).extracting(RewardResult::turnId)
          .containsExactly("c" + (t * 3), "c" + (t * 3 + 1), "c" + (t * 3 + 2));
      all.addAll(got);
    }
    callers.shutdown();

    for (RewardResult r : all) {
      assertThat(r.responseEmbedding()).containsExactly(alone.get(r.turnId()), within(1e-5f));
      HeadsMath.Output expected = HeadsMath.forward(versions.get(r.weightsVersion()), r.promptEmbedding(),
          r.responseEmbedding());
      assertThat(r.score()).as("score of %s under v%s", r.turnId(), r.weightsVersion())
          .isCloseTo(expected.score(), within(1e-5f));
    }
    assertThat(all).as("some turns shared a batch").anyMatch(r -> r.batchSize() > 1);
    assertThat(scorer.currentWeights()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(13));
  }

  @Test
  void givenRewardsOutsideTheLabelRange_whenScored_thenTheRatingIsClampedToTheScaleAndTheRawRewardKept()
      throws Exception {
    ScoringRequest turn = request("t1", "Twenty minutes, if the nebula stops sneezing static into my wiring.");
    float[] e = scorer.embed(List.of(turn)).get(0).responseEmbedding();
    float[] wanted = {-0.5f, 0f, 0.5f, 1f, 1.5f, 0.25f};
    double norm = 0;
    for (float v : e) {
      norm += (double) v * v;
    }
    float[] regression = new float[wanted.length * e.length];
    for (int k = 0; k < wanted.length; k++) {
      for (int d = 0; d < e.length; d++) {
        regression[k * e.length + d] = (float) (wanted[k] * e[d] / norm);
      }
    }
    scorer.installWeights(RewardHeads.newBuilder(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 8, 42))
        .setRegression(Matrices.of(wanted.length, e.length, regression)).build());

    RewardResult r = scorer.score(List.of(turn)).get(0);

    float[] raw = new float[wanted.length];
    float[] rating = new float[wanted.length];
    for (int k = 0; k < wanted.length; k++) {
      raw[k] = r.attributes().get(k).reward();
      rating[k] = r.attributes().get(k).rewardOnScale();
    }
    assertThat(raw).containsExactly(wanted, within(1e-4f));
    assertThat(rating).containsExactly(new float[] {1f, 1f, 5.5f, 10f, 10f, 3.25f}, within(1e-3f));
  }

  @Test
  void scoresTheSampleDataTurnsWithTheirCardsAndHistory() throws Exception {
    SampleDataset data = SampleData.load();
    List<ScoringRequest> requests = data.turnsInTimeOrder().stream()
        .filter(t -> "assistant".equals(t.getRole()))
        .limit(8)
        .map(t -> new ScoringRequest(t.getTurnId(),
            data.card(t.getCharacterId()).map(CharacterProfile::of).orElse(null),
            data.history(t.getTurnId()).stream().map(h -> new ChatMessage(h.getRole(), h.getText())).toList(),
            t.getText()))
        .toList();
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 21, 21));

    List<RewardResult> results = scorer.score(requests);

    assertThat(results).extracting(RewardResult::turnId)
        .containsExactlyElementsOf(requests.stream().map(ScoringRequest::turnId).toList());
    assertThat(results).allSatisfy(r -> {
      assertThat(Float.isFinite(r.score())).isTrue();
      assertThat(r.attributes()).hasSize(6).allSatisfy(a -> assertThat(a.rewardOnScale()).isFinite());
      assertThat(r.promptTokens() + r.responseTokens()).isLessThanOrEqualTo(512);
      assertThat(r.weightsVersion()).isEqualTo(21);
    });
  }

  @Test
  void embedsWithoutWeightsAndGivesIdenticalEmbeddingsForIdenticalTurns() throws Exception {
    List<EmbeddedTurn> turns =
        scorer.embed(List.of(request("a", "Give me an hour."), request("b", "Give me an hour.")));

    assertThat(turns.get(0).responseEmbedding()).hasSize(384);
    assertThat(turns.get(0).responseEmbedding()).containsExactly(turns.get(1).responseEmbedding(), within(1e-6f));
    assertThat(turns.get(0).promptEmbedding()).isNotEqualTo(turns.get(0).responseEmbedding());
  }

  @Test
  void rejectsWeightsForAnotherBackboneOrWidthAndKeepsTheRunningOnes() throws Exception {
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 3, 1));

    assertThatThrownBy(() -> scorer.installWeights(RandomHeads.of("meta-llama/Llama-3-8B", "mean", 384, 4, 1)))
        .isInstanceOf(InvalidWeightsException.class).hasMessageContaining("Llama-3-8B");
    assertThatThrownBy(() -> scorer.installWeights(
        RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 256, 5, 1)))
        .isInstanceOf(InvalidWeightsException.class).hasMessageContaining("256");

    assertThatThrownBy(() -> scorer.installWeights(
        RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "last_token", 384, 6, 1)))
        .isInstanceOf(InvalidWeightsException.class).hasMessageContaining("last_token pooling");

    assertThat(scorer.currentWeights()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(3));
  }

  @Test
  void aReplyLongerThanTheWindowIsEmbeddedInWindowsWithItsHistory() throws Exception {
    EmbeddedTurn e = scorer.embed(List.of(request("long", "word ".repeat(2000)))).get(0);

    assertThat(e.truncation()).containsExactly(Truncation.REPLY_CHUNKED);
    assertThat(e.responseTokens()).isEqualTo(2000 + 1);
    assertThat(scorer.prepare(request("long", "word ".repeat(2000))).windows()).hasSize(5);
  }

  @Test
  void aReplyThatShowsNothingIsUnscorable() {
    ScoringRequest invisible = request("t-empty", "\u200B\uFEFF\u00A0\u0301\u0000");

    assertThatThrownBy(() -> scorer.prepare(invisible))
        .isInstanceOfSatisfying(UnscorableTurnException.class, e -> {
          assertThat(e.reason()).isEqualTo(UnscorableTurnException.Reason.NO_VISIBLE_TEXT);
          assertThat(e.turnId()).isEqualTo("t-empty");
        });
    assertThatThrownBy(() -> scorer.score(List.of(invisible))).isInstanceOf(UnscorableTurnException.class);
  }

  @Test
  void aScoreCarriesTheShareOfTheReplyTheTokenizerCouldNotRead() throws Exception {
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 7, 42));

    List<RewardResult> results = scorer.score(List.of(request("emoji", "\uD83D\uDE00\uD83D\uDE02 \uD83D\uDD25"),
        request("mixed", "Fine. \uD83D\uDE00"), request("plain", "Fine.")));

    assertThat(results).extracting(RewardResult::unknownTokenShare).containsExactly(1f, 1f / 3, 0f);
  }

  @Test
  void aReplyTheTokenizerReadsAsNoTokenAtAllCountsAsUnread() throws Exception {
    scorer.installWeights(RandomHeads.of(ModelConfig.MINILM_BACKBONE_ID, "mean", 384, 7, 42));
    // Private-use code points show (as boxes at least) but BERT's tokenizer drops them.
    ScoringRequest dropped = request("private-use", "\uE000\uE001 \uE002");

    PreparedTurn turn = scorer.prepare(dropped);
    List<RewardResult> results = scorer.score(List.of(dropped));

    assertThat(turn.replyTextTokens()).isZero();
    assertThat(results).extracting(RewardResult::unknownTokenShare).containsExactly(1f);
  }
}
