package io.queststream.schemas.weights;

import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random, untrained reward heads of any shape, for the contract's model and attributes: valid weights that
 * exercise every part of the scoring path, for tests, plumbing checks and throughput measurements. Their scores mean
 * nothing. Unsigned; the same arguments give the same heads.
 */
public final class RandomHeads {

  private static final int SMALL_GATING_WIDTH = 16;

  private RandomHeads() {}

  /** Heads with a gating network of one hidden layer of 16. */
  public static RewardHeads of(String backboneId, String pooling, int dim, long version, long seed) {
    return withGating(backboneId, pooling, dim, version, seed, SMALL_GATING_WIDTH, 1);
  }

  /**
   * Heads with a gating network of {@code hiddenLayers} ReLU layers of {@code width}, then one output per attribute.
   * ArmoRM's is 3 layers of 1024: on a 4096-d backbone about 25 MB, the size the weights topic must carry.
   */
  public static RewardHeads withGating(String backboneId, String pooling, int dim, long version, long seed, int width,
      int hiddenLayers) {
    Random rnd = new Random(seed);
    int k = WeightsContract.QUEST_ATTRIBUTES.size();
    List<DenseLayer> layers = new ArrayList<>();
    int in = dim;
    for (int l = 0; l < hiddenLayers; l++) {
      layers.add(layer(rnd, in, width, "relu"));
      in = width;
    }
    layers.add(layer(rnd, in, k, "identity"));
    float[] transform = new float[k * k];
    for (int i = 0; i < k; i++) {
      transform[i * k + i] = 1f;
      transform[i * k + (i + 1) % k] = -0.1f;
    }
    return RewardHeads.newBuilder()
        .setModelName(WeightsContract.MODEL_NAME)
        .setVersion(version)
        .setStatus("manual")
        .setBackboneId(backboneId)
        .setEmbeddingDim(dim)
        .setPooling(pooling)
        .setAttributeNames(WeightsContract.QUEST_ATTRIBUTES)
        .setRegression(Matrices.of(k, dim, gaussian(rnd, k * dim, 0.5f)))
        .setGatingLayers(layers)
        .setTransform(Matrices.of(k, k, transform))
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
