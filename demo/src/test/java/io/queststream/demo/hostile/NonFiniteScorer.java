package io.queststream.demo.hostile;

import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.api.WeightsVersion;
import io.queststream.schemas.RewardHeads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real scorer, except that a response containing a marker comes back with a NaN score or an infinite attribute:
 * what a backbone fault would produce. Verified weights cannot produce such numbers (bounds and canary), so this is
 * the only way to show what moderation does with them.
 */
final class NonFiniteScorer implements RewardScorer {

  static final String NAN_SCORE = "[[nan-score]]";
  static final String INFINITE_ATTRIBUTE = "[[infinite-attribute]]";

  private final RewardScorer delegate;
  /** Turns prepared with a marker in their response, by turn id, until they are scored. */
  private final Map<String, String> markedTurns = new ConcurrentHashMap<>();

  NonFiniteScorer(RewardScorer delegate) {
    this.delegate = delegate;
  }

  @Override
  public PreparedTurn prepare(ScoringRequest request) throws UnscorableTurnException {
    PreparedTurn turn = delegate.prepare(request);
    if (request.response().contains(NAN_SCORE) || request.response().contains(INFINITE_ATTRIBUTE)) {
      markedTurns.put(request.turnId(), request.response());
    }
    return turn;
  }

  @Override
  public List<RewardResult> scorePrepared(List<PreparedTurn> turns) throws ScoringException {
    List<RewardResult> results = delegate.scorePrepared(turns);
    List<String> responses = turns.stream().map(t -> markedTurns.getOrDefault(t.turnId(), "")).toList();
    return spoiled(results, responses);
  }

  @Override
  public List<CompletableFuture<RewardResult>> submit(List<PreparedTurn> turns) throws ScoringException {
    List<CompletableFuture<RewardResult>> results = delegate.submit(turns);
    List<CompletableFuture<RewardResult>> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      String response = markedTurns.getOrDefault(turns.get(i).turnId(), "");
      out.add(results.get(i).thenApply(r -> spoiled(List.of(r), List.of(response)).get(0)));
    }
    return out;
  }

  @Override
  public CompletableFuture<RewardResult> submitAlone(PreparedTurn turn) throws ScoringException {
    String response = markedTurns.getOrDefault(turn.turnId(), "");
    return delegate.submitAlone(turn).thenApply(r -> spoiled(List.of(r), List.of(response)).get(0));
  }

  @Override
  public boolean queueEmpty() {
    return delegate.queueEmpty();
  }

  @Override
  public int messageTokens(String text) {
    return delegate.messageTokens(text);
  }

  @Override
  public List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException {
    return spoiled(delegate.score(requests), requests.stream().map(ScoringRequest::response).toList());
  }

  private static List<RewardResult> spoiled(List<RewardResult> results, List<String> responses) {
    List<RewardResult> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      String response = responses.get(i);
      RewardResult r = results.get(i);
      if (response.contains(NAN_SCORE)) {
        out.add(with(r, r.attributes(), Float.NaN));
      } else if (response.contains(INFINITE_ATTRIBUTE)) {
        List<AttributeReward> attributes = new ArrayList<>(r.attributes());
        AttributeReward a = attributes.get(1);
        attributes.set(1, new AttributeReward(a.attribute(), Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
            a.gating(), a.coefficient()));
        out.add(with(r, attributes, r.score()));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  private static RewardResult with(RewardResult r, List<AttributeReward> attributes, float score) {
    return new RewardResult(r.turnId(), List.copyOf(attributes), score, r.topK(), r.weightsModel(),
        r.weightsVersion(), r.backboneId(), r.scaleMin(), r.scaleMax(), r.promptTokens(), r.responseTokens(),
        r.truncation(), r.unknownTokenShare(), r.batchSize(), r.modelLatencyMs(), r.promptEmbedding(), r.responseEmbedding());
  }

  @Override
  public BackboneInfo backbone() {
    return delegate.backbone();
  }

  @Override
  public int tokenCount(ScoringRequest request) {
    return delegate.tokenCount(request);
  }

  @Override
  public List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException {
    return delegate.embed(requests);
  }

  @Override
  public WeightsVersion installWeights(RewardHeads heads) throws InvalidWeightsException {
    return delegate.installWeights(heads);
  }

  @Override
  public Optional<WeightsVersion> currentWeights() {
    return delegate.currentWeights();
  }

  @Override
  public Optional<RewardHeads> currentHeads() {
    return delegate.currentHeads();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
