package io.queststream.trainer.ridge;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded 80/20 train/validation split decided per row id, not per position: a row keeps its side as new rows arrive,
 * so the sufficient statistics of each side can be updated incrementally and retraining never reshuffles.
 */
public final class SplitAssigner {

  private final long seed;
  private final double validationFraction;

  public SplitAssigner(long seed, double validationFraction) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0,1), was " + validationFraction);
    }
    this.seed = seed;
    this.validationFraction = validationFraction;
  }

  public boolean isValidation(String rowId) {
    return new SplittableRandom(seed ^ fnv1a(rowId)).nextDouble() < validationFraction;
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
