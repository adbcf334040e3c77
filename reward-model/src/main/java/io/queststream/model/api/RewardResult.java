package io.queststream.model.api;

import java.util.List;

/**
 * The reward model's verdict on one response.
 *
 * @param topK attributes with the largest |coefficient|, largest first
 * @param batchSize number of sequences in the backbone batch that produced this result
 * @param modelLatencyMs backbone + heads time of that batch
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
    boolean truncated,
    int batchSize,
    double modelLatencyMs,
    float[] promptEmbedding,
    float[] responseEmbedding) {}
