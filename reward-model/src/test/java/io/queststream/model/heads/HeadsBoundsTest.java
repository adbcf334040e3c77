package io.queststream.model.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.RandomHeads;
import org.junit.jupiter.api.Test;

class HeadsBoundsTest {

  private static final int DIM = 8;

  private static RewardHeads heads() {
    return RandomHeads.of("b", "mean", DIM, 2, 5);
  }

  private static RewardHeads withRegressionValue(float value) {
    float[] w = Matrices.values(heads().getRegression());
    w[5] = value;
    return RewardHeads.newBuilder(heads()).setRegression(Matrices.of(6, DIM, w)).build();
  }

  private static void assertRejected(RewardHeads r, Reason reason, String message) {
    assertThatThrownBy(() -> HeadsWeights.decode(r, DIM)).isInstanceOf(InvalidWeightsException.class)
        .hasMessage(message).extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(reason);
  }

  @Test
  void givenAFiniteButHugeValueThenTheRecordIsOutOfBounds() {
    assertRejected(withRegressionValue(3e38f), Reason.OUT_OF_BOUNDS,
        "weights quest-rm v2: regression has 3.0E38 at index 5, outside [-10000.0, 10000.0]");
  }

  @Test
  void givenNaNOrInfinityThenTheRecordIsNonFinite() {
    assertRejected(withRegressionValue(Float.NaN), Reason.NON_FINITE,
        "weights quest-rm v2: regression has a non-finite value at index 5");
    assertRejected(withRegressionValue(Float.NEGATIVE_INFINITY), Reason.NON_FINITE,
        "weights quest-rm v2: regression has a non-finite value at index 5");
  }

  @Test
  void givenLogitScaleZeroOrNegativeThenTheRecordIsOutOfBounds() {
    for (float beta : new float[] {0f, -1f, 1001f}) {
      assertRejected(RewardHeads.newBuilder(heads()).setLogitScale(beta).build(), Reason.OUT_OF_BOUNDS,
          "weights quest-rm v2: logit_scale must be > 0 and <= 1000.0, was " + beta
              + " (0 would give every text the same score)");
    }
  }

  @Test
  void givenATemperatureOutsideItsBoundsThenTheRecordIsOutOfBounds() {
    assertRejected(RewardHeads.newBuilder(heads()).setTemperature(1e-9f).build(), Reason.OUT_OF_BOUNDS,
        "weights quest-rm v2: temperature is 1.0E-9, outside [0.001, 1000.0]");
    assertRejected(RewardHeads.newBuilder(heads()).setTemperature(Float.NaN).build(), Reason.NON_FINITE,
        "weights quest-rm v2: temperature is NaN");
  }

  @Test
  void givenHugeVerbosityLambdasOrScaleThenTheRecordIsOutOfBounds() {
    assertRejected(RewardHeads.newBuilder(heads()).setVerbosityLambdas(java.util.List.of(0.1f, 1e9f)).build(),
        Reason.OUT_OF_BOUNDS, "weights quest-rm v2: verbosity_lambdas[1] is 1.0E9, outside [-10000.0, 10000.0]");
    assertRejected(RewardHeads.newBuilder(heads()).setScaleMax(Float.POSITIVE_INFINITY).build(), Reason.NON_FINITE,
        "weights quest-rm v2: scale_max is Infinity");
  }

  @Test
  void givenTheWrongWidthThenTheBackboneDoesNotMatch() {
    assertThatThrownBy(() -> HeadsWeights.decode(heads(), 16))
        .extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(Reason.BACKBONE_MISMATCH);
  }

  @Test
  void valuesAtTheBoundsAreAccepted() throws InvalidWeightsException {
    assertThat(HeadsWeights.decode(withRegressionValue(HeadsWeights.Bounds.MAX_ABS_WEIGHT), DIM).regression()[5])
        .isEqualTo(1e4f);
  }
}
