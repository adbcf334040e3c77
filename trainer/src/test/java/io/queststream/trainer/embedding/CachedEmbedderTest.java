package io.queststream.trainer.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.Truncation;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.api.WeightsVersion;
import io.queststream.schemas.RewardHeads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedEmbedderTest {

  /**
   * A backbone that counts one token per character and reads a reply over 16 in windows; an empty reply cannot be
   * read, and a reply saying "crash" fails its whole batch, as a failing device batch does. Embeddings are (length,
   * 1, 0) for both sides.
   */
  static final class FakeScorer implements RewardScorer {
    final List<Integer> batchSizes = new ArrayList<>();

    @Override
    public BackboneInfo backbone() {
      return new BackboneInfo("fake", 3, "mean", "cpu()", 16);
    }

    @Override
    public int tokenCount(ScoringRequest r) {
      if (r.response().isEmpty()) {
        throw new IllegalArgumentException("turn " + r.turnId() + ": the response renders to no tokens");
      }
      return r.response().length();
    }

    @Override
    public List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException {
      batchSizes.add(requests.size());
      if (requests.stream().anyMatch(r -> r.response().contains("crash"))) {
        throw new ScoringException("scoring batch failed: device error");
      }
      return requests.stream().map(r -> new EmbeddedTurn(r.turnId(), new float[] {r.response().length(), 1, 0},
          new float[] {r.response().length(), 1, 0}, 1, r.response().length(),
          r.response().length() > 16 ? Set.of(Truncation.REPLY_CHUNKED) : Set.of())).toList();
    }

    @Override
    public PreparedTurn prepare(ScoringRequest r) throws UnscorableTurnException {
      if (r.response().isEmpty()) {
        throw new UnscorableTurnException(r.turnId(), UnscorableTurnException.Reason.NO_VISIBLE_TEXT,
            "the reply has no visible text", null);
      }
      return new PreparedTurn(r.turnId(), "fake", List.of(new TokenWindow(new long[] {1}, 0, 0, 0, 1)), 0,
          r.response().length(), r.response().length(), 0, Set.of());
    }

    @Override
    public List<RewardResult> scorePrepared(List<PreparedTurn> turns) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<RewardResult> score(List<ScoringRequest> requests) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int messageTokens(String text) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<CompletableFuture<RewardResult>> submit(List<PreparedTurn> turns) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<RewardResult> submitAlone(PreparedTurn turn) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean queueEmpty() {
      throw new UnsupportedOperationException();
    }

    @Override
    public WeightsVersion installWeights(RewardHeads heads) throws InvalidWeightsException {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<WeightsVersion> currentWeights() {
      return Optional.empty();
    }

    @Override
    public Optional<RewardHeads> currentHeads() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }

  @TempDir
  Path dir;

  private static ScoringRequest req(String id, String reply) {
    return new ScoringRequest(id, null, List.of(), reply);
  }

  @Test
  void embedsWhatTheCacheLacksOnceLongRepliesIncludedAndFailsOnlyTheRequestsTheBackboneCannotRead() throws Exception {
    // given six requests: two identical replies, one longer than a window, one empty, one that crashes its batch
    List<ScoringRequest> requests = List.of(req("a", "short one"), req("b", "short one"), req("c", "x".repeat(17)),
        req("d", ""), req("e", "crash me"), req("f", "fine"));
    FakeScorer scorer = new FakeScorer();
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    // when
    CachedEmbedder.Result r;
    try (EmbeddingCache cache = EmbeddingCache.open(dir, scorer.backbone(), 16)) {
      r = new CachedEmbedder(scorer, cache, 8, new PrintStream(log, true, StandardCharsets.UTF_8)).embed(requests);
    }

    // then: the identical replies share one embedding; the batch with the crash was retried one by one
    assertThat(r.embedded()).containsOnlyKeys("a", "b", "c", "f");
    assertThat(r.embedded().get("a")).isSameAs(r.embedded().get("b"));
    assertThat(r.embedded().get("c").truncated()).isTrue();
    assertThat(r.embedded().get("a").truncated()).isFalse();
    assertThat(r.failures()).containsOnlyKeys("d", "e");
    assertThat(r.failures().get("d")).isEqualTo("NO_VISIBLE_TEXT: turn d: the reply has no visible text");
    assertThat(r.failures().get("e")).isEqualTo("scoring batch failed: device error");
    assertThat(scorer.batchSizes).containsExactly(4, 1, 1, 1, 1);
    assertThat(r.computed()).isEqualTo(3);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("embedded 4/4");

    // when run again, only the failures are tried again; nothing is embedded twice
    FakeScorer again = new FakeScorer();
    try (EmbeddingCache cache = EmbeddingCache.open(dir, again.backbone(), 16)) {
      CachedEmbedder.Result second = new CachedEmbedder(again, cache, 8, new PrintStream(new ByteArrayOutputStream(),
          true, StandardCharsets.UTF_8)).embed(requests);
      assertThat(second.embedded()).containsOnlyKeys("a", "b", "c", "f");
      assertThat(second.computed()).isZero();
      assertThat(again.batchSizes).containsExactly(1, 1);
    }
  }
}
