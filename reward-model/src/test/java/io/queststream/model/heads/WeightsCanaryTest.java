package io.queststream.model.heads;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.RandomHeads;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeightsCanaryTest {

  private static final int DIM = 8;

  /** Unit-norm random embeddings standing in for the backbone's embeddings of the canary turns. */
  private static WeightsCanary canary() {
    Random rnd = new Random(11);
    List<EmbeddedTurn> turns = new ArrayList<>();
    for (int i = 0; i < WeightsCanary.turns().size(); i++) {
      turns.add(new EmbeddedTurn("canary-" + (i + 1), unit(rnd), unit(rnd), 10, 10, Set.of()));
    }
    return WeightsCanary.of(turns);
  }

  private static float[] unit(Random rnd) {
    float[] v = new float[DIM];
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) rnd.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  private static HeadsWeights decode(RewardHeads r) throws InvalidWeightsException {
    return HeadsWeights.decode(r, DIM);
  }

  private static RewardHeads withRegression(float value) {
    RewardHeads base = RandomHeads.of("b", "mean", DIM, 4, 4);
    float[] w = new float[6 * DIM];
    java.util.Arrays.fill(w, value);
    return RewardHeads.newBuilder(base).setRegression(Matrices.of(6, DIM, w)).build();
  }

  @Test
  void givenOrdinaryHeadsThenTheCanaryPasses() {
    assertThatCode(() -> canary().check(decode(RandomHeads.of("b", "mean", DIM, 4, 4)))).doesNotThrowAnyException();
  }

  @Test
  void givenHeadsWhoseValuesAreInBoundsButWhoseRewardsAreNotThenTheCanaryFails() {
    assertThatThrownBy(() -> canary().check(decode(withRegression(9_999f))))
        .isInstanceOf(InvalidWeightsException.class)
        .hasMessageStartingWith("weights quest-rm v4 failed the canary: canary-1 gets reward of "
            + "Contextual Alignment ")
        .hasMessageEndingWith(", beyond +-1000.0")
        .extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(Reason.CANARY_FAILED);
  }

  @Test
  void givenHeadsThatScoreEveryTextTheSameThenTheCanaryFails() {
    assertThatThrownBy(() -> canary().check(decode(withRegression(0f))))
        .isInstanceOf(InvalidWeightsException.class)
        .hasMessage("weights quest-rm v4 failed the canary: all 8 turns score 0.0: the heads do not tell "
            + "texts apart")
        .extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(Reason.CANARY_FAILED);
  }

  @Test
  void theCanaryNeedsAnEmbeddingForEachOfItsTurns() {
    assertThatThrownBy(() -> WeightsCanary.of(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the canary has 8 turns, got 0 embeddings");
  }
}
