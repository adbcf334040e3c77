package io.queststream.model.api;

import java.util.List;
import java.util.Set;

/**
 * The reward model's verdict on one response.
 *
 * @param topK attributes with the largest |coefficient|, largest first
 * @param truncation what was cut or split to fit the turn to the backbone (empty: read whole)
 * @param unknownTokenShare share of the reply's tokens the tokenizer could not read (its unknown token), 1 when it
 *     read the reply as no token at all; text that is mostly unreadable gets an embedding of unknown tokens, close to
 *     a constant
 * @param batchSize number of sequences in the backbone batch that produced this result
 * @param modelLatencyMs backbone + heads time of that batch
 * @param candidate the same turn scored by the candidate heads on the same embeddings while a candidate weights
 *     version is shadowed (docs/shadow.md), null otherwise
 */
public record RewardResult(
    String turnId,
    List<AttributeReward> attributes,
    float score,
    List<Contribution> topK,
    String weightsModel,
    long weightsVersion,
    String backboneId,
    float scaleMin,
    float scaleMax,
    int promptTokens,
    int responseTokens,
    Set<Truncation> truncation,
    float unknownTokenShare,
    int batchSize,
    double modelLatencyMs,
    float[] promptEmbedding,
    float[] responseEmbedding,
    RewardResult candidate) {

  public RewardResult {
    truncation = Truncation.ordered(truncation);
  }

  /** A result without a candidate's. */
  public RewardResult(String turnId, List<AttributeReward> attributes, float score, List<Contribution> topK,
      String weightsModel, long weightsVersion, String backboneId, float scaleMin, float scaleMax, int promptTokens,
      int responseTokens, Set<Truncation> truncation, float unknownTokenShare, int batchSize, double modelLatencyMs,
      float[] promptEmbedding, float[] responseEmbedding) {
    this(turnId, attributes, score, topK, weightsModel, weightsVersion, backboneId, scaleMin, scaleMax,
        promptTokens, responseTokens, truncation, unknownTokenShare, batchSize, modelLatencyMs, promptEmbedding,
        responseEmbedding, null);
  }

  /** This result with the candidate heads' verdict on the same turn. */
  public RewardResult withCandidate(RewardResult candidateResult) {
    return new RewardResult(turnId, attributes, score, topK, weightsModel, weightsVersion, backboneId, scaleMin,
        scaleMax, promptTokens, responseTokens, truncation, unknownTokenShare, batchSize, modelLatencyMs,
        promptEmbedding, responseEmbedding, candidateResult);
  }

  /** True when a candidate version scored this turn too. */
  public boolean shadowed() {
    return candidate != null;
  }

  /** Anything of the turn was cut or split to fit the backbone. */
  public boolean truncated() {
    return !truncation.isEmpty();
  }
}
