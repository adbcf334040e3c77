package io.queststream.trainer.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.dataset.TurnRecord;
import io.queststream.trainer.gating.DenseParams;
import io.queststream.trainer.gating.GatingNetwork;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.support.Records;
import io.queststream.trainer.training.HeadsRecords;
import io.queststream.trainer.training.TrainedHeads;
import io.queststream.trainer.training.VerbositySignal;
import io.queststream.trainer.transform.VerbosityDebiaser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibratorTest {

  @Test
  void measuresAnOvervaluedModelAndRelabelsItsPairsToTheExpectedWinRate() {
    // given 10 prompts answered by "o" (scores 0.0 .. 0.9) and "r" (0.25): the heads score a turn by its first
    // response feature, so "o" wins 7 of 10 where equal Elo expects 5
    TrainingSet set = new TrainingSet(List.of("quality"), 2, 1, 0.0001);
    for (int i = 0; i < 10; i++) {
      set.addTurn(turn("o" + i, "ctx" + i, "o", i / 10f));
      set.addTurn(turn("r" + i, "ctx" + i, "r", 0.25f));
    }
    HeadsWeights heads = firstFeatureScorer();
    Map<String, Double> elo = Map.of("o", 1000.0, "r", 1000.0);

    // when
    List<ModelCalibration> result = Calibrator.calibrate(set, heads, elo, "r");

    // then MD = (0.7 - 0.5) / 0.5; the offset lies in (-0.25, -0.15], and after it half the prompts prefer o
    ModelCalibration o = result.get(0);
    assertThat(o.sharedPrompts()).isEqualTo(10);
    assertThat(o.mismatchDegree()).isCloseTo(0.4, within(1e-6));
    assertThat(o.offset()).isCloseTo(-0.2, within(1e-6));
    assertThat(o.relabelledPairs()).isEqualTo(10);
    long oWins = set.preferences().stream().filter(p -> p.chosen().startsWith("o")).count();
    assertThat(oWins).isEqualTo(5);
  }

  private static TurnRecord turn(String id, String ctx, String model, float quality) {
    TurnEmbedding e = Records.embedding(id, ctx, new float[] {1, 0}, new float[] {quality, 1}, 10);
    e.setPolicyModel(model);
    return TurnRecord.of(e);
  }

  /** W = [1, 0], a gate that is constant (zero weights, bias 0): score = beta * reward. */
  private static HeadsWeights firstFeatureScorer() {
    RidgeFit ridge = new RidgeFit(1, 2, new float[] {1, 0}, List.of());
    GatingNetwork gate = new GatingNetwork(List.of(new DenseParams(2, 1, new float[2], new float[1])), 10f, 1f);
    TrainedHeads heads = new TrainedHeads(List.of("quality"), ridge, VerbosityDebiaser.Transform.identity(1), gate,
        VerbositySignal.NONE, new double[0], 0, 0, 0);
    return HeadsRecords.weights(HeadsRecords.toRecord(heads,
        new HeadsRecords.Identity("m", 1, null, "promoted", "b", "mean", 1, 10), Map.of(), Map.of()));
  }
}
