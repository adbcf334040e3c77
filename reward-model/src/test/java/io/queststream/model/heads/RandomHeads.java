package io.queststream.model.heads;

import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random heads of any shape, for tests that need some valid weights. */
public final class RandomHeads {

  public static final List<String> QUEST_ATTRIBUTES = List.of("contextual_alignment", "character_consistency",
      "descriptive_depth", "role_specific_knowledge", "engagement_collaboration", "creativity_emotional_nuance");

  private RandomHeads() {}

  public static RewardHeads of(String backboneId, String pooling, int dim, long version, long seed) {
    Random rnd = new Random(seed);
    int k = QUEST_ATTRIBUTES.size();
    int hidden = 16;
    List<DenseLayer> layers = new ArrayList<>();
    layers.add(layer(rnd, dim, hidden, "relu"));
    layers.add(layer(rnd, hidden, k, "identity"));
    float[] t = new float[k * k];
    for (int i = 0; i < k; i++) {
      t[i * k + i] = 1f;
      t[i * k + (i + 1) % k] = -0.1f;
    }
    return RewardHeads.newBuilder()
        .setModelName("quest-rm-test")
        .setVersion(version)
        .setBackboneId(backboneId)
        .setEmbeddingDim(dim)
        .setPooling(pooling)
        .setAttributeNames(QUEST_ATTRIBUTES)
        .setScaleMin(1f)
        .setScaleMax(10f)
        .setRegression(Matrices.of(k, dim, gaussian(rnd, k * dim, 0.5f)))
        .setGatingLayers(layers)
        .setTemperature(10f)
        .setLogitScale(1f)
        .setTransform(Matrices.of(k, k, t))
        .setCreatedAt(Instant.ofEpochMilli(0))
        .build();
  }

  private static DenseLayer layer(Random rnd, int in, int out, String activation) {
    return DenseLayer.newBuilder()
        .setWeight(Matrices.of(out, in, gaussian(rnd, out * in, (float) (1 / Math.sqrt(in)))))
        .setBias(Matrices.row(gaussian(rnd, out, 0.1f)))
        .setActivation(activation)
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
