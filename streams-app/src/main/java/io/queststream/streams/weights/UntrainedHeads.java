package io.queststream.streams.weights;

import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Seeded random reward heads for a backbone: valid weights that exercise every part of the scoring path, for
 * throughput measurements. They are not trained; their scores mean nothing.
 */
public final class UntrainedHeads {

  public static final List<String> QUEST_ATTRIBUTES = List.of("Contextual Alignment", "Character Consistency",
      "Descriptive Depth", "Role-Specific Knowledge", "Engagement and Collaboration",
      "Creativity and Emotional Nuance");
  public static final String MODEL_NAME = "quest-rm";

  private UntrainedHeads() {}

  public static RewardHeads of(String backboneId, int dim, long version, long seed) {
    Random rnd = new Random(seed);
    int k = QUEST_ATTRIBUTES.size();
    float[] identity = new float[k * k];
    for (int i = 0; i < k; i++) {
      identity[i * k + i] = 1f;
    }
    DenseLayer gating = DenseLayer.newBuilder()
        .setWeight(Matrices.of(k, dim, gaussian(rnd, k * dim, (float) (1 / Math.sqrt(dim)))))
        .setBias(Matrices.row(new float[k]))
        .setActivation("identity")
        .build();
    return RewardHeads.newBuilder()
        .setModelName(MODEL_NAME)
        .setVersion(version)
        .setStatus("manual")
        .setBackboneId(backboneId)
        .setEmbeddingDim(dim)
        .setPooling("mean")
        .setAttributeNames(QUEST_ATTRIBUTES)
        .setRegression(Matrices.of(k, dim, gaussian(rnd, k * dim, 0.5f)))
        .setGatingLayers(List.of(gating))
        .setTransform(Matrices.of(k, k, identity))
        .setCreatedAt(Instant.ofEpochMilli(0))
        .build();
  }

  private static float[] gaussian(Random rnd, int n, float std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * std);
    }
    return v;
  }
}
