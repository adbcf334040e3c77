package io.queststream.streams.support;

import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Seeded random (untrained) reward heads of a given width: valid weights for plumbing tests, nothing more. */
public final class TestHeads {

  public static final List<String> ATTRIBUTES = List.of("Contextual Alignment", "Character Consistency",
      "Descriptive Depth", "Role-Specific Knowledge", "Engagement and Collaboration",
      "Creativity and Emotional Nuance");
  public static final String MODEL_NAME = "quest-rm";

  private TestHeads() {}

  public static RewardHeads of(String backboneId, int dim, long version, long seed) {
    Random rnd = new Random(seed);
    int k = ATTRIBUTES.size();
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
        .setBackboneId(backboneId)
        .setEmbeddingDim(dim)
        .setPooling("mean")
        .setAttributeNames(ATTRIBUTES)
        .setRegression(Matrices.of(k, dim, gaussian(rnd, k * dim, 0.5f)))
        .setGatingLayers(List.of(gating))
        .setTransform(Matrices.of(k, k, identity))
        .setCreatedAt(Instant.ofEpochMilli(0))
        .build();
  }

  /**
   * Heads shaped like DESIGN.md's full gating MLP (3 hidden layers of 1024) on a backbone of width dim: about 25 MB
   * for a 4096-d backbone, the size the weights topic and its clients must carry.
   */
  public static RewardHeads withFullGating(String backboneId, int dim, long version) {
    Random rnd = new Random(version);
    RewardHeads small = of(backboneId, dim, version, version);
    int hidden = 1024;
    int k = ATTRIBUTES.size();
    List<DenseLayer> layers = List.of(layer(rnd, dim, hidden, "relu"), layer(rnd, hidden, hidden, "relu"),
        layer(rnd, hidden, hidden, "relu"), layer(rnd, hidden, k, "identity"));
    return RewardHeads.newBuilder(small).setGatingLayers(layers).build();
  }

  private static DenseLayer layer(Random rnd, int in, int out, String activation) {
    return DenseLayer.newBuilder()
        .setWeight(Matrices.of(out, in, gaussian(rnd, out * in, (float) (1 / Math.sqrt(in)))))
        .setBias(Matrices.row(new float[out]))
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
