package io.queststream.trainer.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.queststream.trainer.eval.Spearman;
import io.queststream.trainer.support.Reference;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerbosityDebiaserTest {

  @Test
  void choosesTheSameLambdasAsSciPyForAnAttributeSignal() {
    // given rewards where attribute 2 plays verbosity (trainer/tools/metrics_reference.py)
    JsonNode ref = Reference.load("metrics.json");
    float[][] rewards = new float[ref.get("rewards").size()][];
    for (int i = 0; i < rewards.length; i++) {
      rewards[i] = Reference.floats(ref.get("rewards").get(i));
    }

    // when
    VerbosityDebiaser.Transform t = VerbosityDebiaser.fromAttribute(rewards, ref.get("verbosity_attribute").asInt());

    // then lambdas match and T rows are e_j - lambda_j e_v
    double[] expected = Reference.doubles(ref.get("lambdas"));
    for (int j = 0; j < expected.length; j++) {
      assertThat((double) t.lambdas()[j]).isCloseTo(expected[j], within(1e-6));
      assertThat(t.matrix()[j * 4 + 2]).isCloseTo((float) (j == 2 ? 1 : -expected[j]), within(1e-7f));
      assertThat(t.matrix()[j * 4 + j]).isEqualTo(1f);
    }
  }

  @Test
  void lengthSignalRemovesMostLengthCorrelationFromAnObjective() {
    // given objective 0 partly tracking length, objective 1 mostly length (verbosity-like), objective 2 unrelated
    Random rnd = new Random(2);
    int n = 500;
    float[][] rewards = new float[n][];
    double[] length = new double[n];
    for (int i = 0; i < n; i++) {
      length[i] = 50 + 200 * rnd.nextDouble();
      double z = (length[i] - 150) / 58;
      rewards[i] = new float[] {(float) (0.5 + 0.05 * z + 0.1 * rnd.nextGaussian()),
          (float) (0.5 + 0.1 * z + 0.01 * rnd.nextGaussian()), (float) (0.5 + 0.1 * rnd.nextGaussian())};
    }
    double before = Spearman.correlation(column(rewards, 0), length);

    // when
    VerbosityDebiaser.Transform t = VerbosityDebiaser.fromSignal(rewards, length);

    // then the transformed objective 0 (row 0 of T applied to r) correlates far less with length
    double[] debiased = new double[n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        debiased[i] += t.matrix()[c] * rewards[i][c];
      }
    }
    assertThat(t.lambdas()[0]).isGreaterThan(0f);
    assertThat(before).isGreaterThan(0.3);
    assertThat(Spearman.correlation(debiased, length)).isLessThan(0.1);
  }

  private static double[] column(float[][] m, int j) {
    double[] c = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i][j];
    }
    return c;
  }
}
