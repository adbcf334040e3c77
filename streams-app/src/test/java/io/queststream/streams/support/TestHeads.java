package io.queststream.streams.support;

import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.streams.weights.UntrainedHeads;
import java.util.List;
import java.util.Random;

/** Seeded random (untrained) reward heads, signed by the tests' key: valid weights for plumbing tests, nothing more. */
public final class TestHeads {

  public static final List<String> ATTRIBUTES = UntrainedHeads.QUEST_ATTRIBUTES;
  public static final String MODEL_NAME = UntrainedHeads.MODEL_NAME;

  private TestHeads() {}

  public static RewardHeads of(String backboneId, int dim, long version, long seed) {
    return TestSigning.SIGNER.sign(unsigned(backboneId, dim, version, seed));
  }

  public static RewardHeads unsigned(String backboneId, int dim, long version, long seed) {
    return UntrainedHeads.of(backboneId, dim, version, seed);
  }

  /**
   * Heads shaped like ArmoRM's full gating MLP (3 hidden layers of 1024, docs/architecture.md#7-training-the-heads) on
   * a backbone of width dim: about 25 MB for a 4096-d backbone, the size the weights topic and its clients must carry.
   */
  public static RewardHeads withFullGating(String backboneId, int dim, long version) {
    Random rnd = new Random(version);
    int hidden = 1024;
    int k = ATTRIBUTES.size();
    List<DenseLayer> layers = List.of(layer(rnd, dim, hidden, "relu"), layer(rnd, hidden, hidden, "relu"),
        layer(rnd, hidden, hidden, "relu"), layer(rnd, hidden, k, "identity"));
    return TestSigning.SIGNER.sign(RewardHeads.newBuilder(unsigned(backboneId, dim, version, version))
        .setGatingLayers(layers).build());
  }

  private static DenseLayer layer(Random rnd, int in, int out, String activation) {
    float[] w = new float[out * in];
    float std = (float) (1 / Math.sqrt(in));
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * std);
    }
    return DenseLayer.newBuilder()
        .setWeight(Matrices.of(out, in, w))
        .setBias(Matrices.row(new float[out]))
        .setActivation(activation)
        .build();
  }
}
