package io.queststream.sample.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded choices over lists; all randomness of the generator flows through {@link SplittableRandom}. */
final class Draw {

  private Draw() {
  }

  static <T> T one(List<T> values, SplittableRandom random) {
    return values.get(random.nextInt(values.size()));
  }

  static <T> T oneOther(List<T> values, T excluded, SplittableRandom random) {
    List<T> others = new ArrayList<>(values);
    others.remove(excluded);
    return others.isEmpty() ? excluded : one(others, random);
  }

  /** A seeded Fisher-Yates shuffle (Collections.shuffle would need a java.util.Random). */
  static <T> List<T> shuffled(List<T> values, SplittableRandom random) {
    List<T> copy = new ArrayList<>(values);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T swap = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, swap);
    }
    return copy;
  }

  /**
   * Approximately normal noise with the given standard deviation: the sum of three uniforms (variance 1/4) is
   * plain IEEE arithmetic, so the result does not depend on the JDK's transcendental functions.
   */
  static double noise(double standardDeviation, SplittableRandom random) {
    double sum = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
    return sum * 2 * standardDeviation;
  }
}
