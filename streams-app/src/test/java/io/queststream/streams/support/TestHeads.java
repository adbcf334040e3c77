package io.queststream.streams.support;

import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.RandomHeads;
import io.queststream.schemas.weights.WeightsContract;
import java.util.List;

/** Seeded random (untrained) reward heads, signed by the tests' key: valid weights for plumbing tests, nothing more. */
public final class TestHeads {

  public static final List<String> ATTRIBUTES = WeightsContract.QUEST_ATTRIBUTES;
  public static final String MODEL_NAME = WeightsContract.MODEL_NAME;

  private TestHeads() {}

  public static RewardHeads of(String backboneId, int dim, long version, long seed) {
    return TestSigning.SIGNER.sign(unsigned(backboneId, dim, version, seed));
  }

  /** The record signed by the tests' key. */
  public static RewardHeads sign(RewardHeads heads) {
    return TestSigning.SIGNER.sign(heads);
  }

  public static RewardHeads unsigned(String backboneId, int dim, long version, long seed) {
    return RandomHeads.of(backboneId, "mean", dim, version, seed);
  }

  /**
   * Heads shaped like ArmoRM's full gating MLP (3 hidden layers of 1024, docs/architecture.md#7-training-the-heads) on
   * a backbone of width dim: about 25 MB for a 4096-d backbone, the size the weights topic and its clients must carry.
   */
  public static RewardHeads withFullGating(String backboneId, int dim, long version) {
    return TestSigning.SIGNER.sign(RandomHeads.withGating(backboneId, "mean", dim, version, version, 1024, 3));
  }
}
