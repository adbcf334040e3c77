package io.queststream.demo.hostile;

import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.WeightsVersion;
import io.queststream.schemas.RewardHeads;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The real scorer, except that a response containing a marker comes back with a NaN score or an infinite attribute:
 * what a backbone fault would produce. Verified weights cannot produce such numbers (bounds and canary), so this is
 * the only way to show what moderation does with them.
 */
final class NonFiniteScorer implements RewardScorer {

  static final String NAN_SCORE = "[[nan-score]]";
  static final String INFINITE_ATTRIBUTE = "[[infinite-attribute]]";

  private final RewardScorer delegate;

  NonFiniteScorer(RewardScorer delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException {
    List<RewardResult> results = delegate.score(requests);
    List<RewardResult> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      String response = requests.get(i).response();
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
        r.truncated(), r.batchSize(), r.modelLatencyMs(), r.promptEmbedding(), r.responseEmbedding());
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
