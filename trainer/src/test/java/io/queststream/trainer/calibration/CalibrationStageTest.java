package io.queststream.trainer.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.dataset.TurnRecord;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.support.Records;
import io.queststream.trainer.training.HeadsRecords;
import io.queststream.trainer.training.HeadsRefinement;
import io.queststream.trainer.training.HeadsTrainer;
import io.queststream.trainer.training.TrainedHeads;
import io.queststream.trainer.training.TrainingConfig;
import io.queststream.trainer.training.VerbositySignal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Calibration on data with a known overvalued model: raters reward a style that model "over" writes in (a bonus of
 * 0.05-0.08 per attribute on [0,1] for its typical answer), users comparing answers do not, so its Elo equals the
 * reference's while the reward model fitted to the ratings prefers its answers.
 */
class CalibrationStageTest {

  private static final List<String> ATTRIBUTES = List.of("a", "b", "c");
  private static final int CONTENT = 14;
  private static final int D = CONTENT + 2;
  private static final double STYLE = 1.3;
  private static final Map<String, Double> ELO = Map.of("over", 1000.0, "ref", 1000.0);

  private final Random rnd = new Random(7);
  private final double[][] quality = new double[ATTRIBUTES.size()][CONTENT];
  private final double[] styleBonus = {0.05, 0.04, 0.06};

  @Test
  void calibrationBringsTheOvervaluedModelsMismatchDegreeTowardsZeroWhereRetrainingAloneCannot() {
    // given 1500 prompts answered by both models, every answer rated, one preference per prompt, equal Elo, and the
    // heads trained on them by the regular stages
    TrainingSet set = feedback();
    HeadsWeights current = weights(train(set, HeadsRefinement.NONE).heads());

    // when calibrating: measure and relabel, then retrain by the regular stages alone and with the calibration stage
    Calibrator.Relabelling relabelling = Calibrator.relabel(set, current, ELO, "ref");
    HeadsWeights regular = weights(train(set, HeadsRefinement.NONE).heads());
    HeadsRefinement.Refined refined = train(set,
        new CalibrationStage(CalibrationConfig.defaults(), relabelling.trainingPairs()));
    HeadsWeights calibrated = weights(refined.heads());

    // then the reward model overvalues "over" before; the regular stages leave it so; the stage cuts |MD| to under a
    // third, fitting the relabelled pairs better than the ridge W did
    double before = relabelling.models().get(0).mismatchDegree();
    assertThat(before).isGreaterThan(0.3);
    assertThat(mismatchDegree(set, regular)).isGreaterThan(0.3);
    assertThat(Math.abs(mismatchDegree(set, calibrated))).isLessThan(before / 3);
    assertThat(Double.parseDouble(refined.summary().get("calibration.pair_loss_after")))
        .isLessThan(Double.parseDouble(refined.summary().get("calibration.pair_loss_before")));

    // and held-out rating errors grow by at most 0.003 per attribute and 0.002 on average (the promotion gate's
    // default tolerance), although the raters themselves overrate "over" by 0.05-0.08 per attribute
    Map<String, Double> mseBefore = HeldOutEvaluator.evaluate(current, set.heldOut()).attributeMse();
    Map<String, Double> mseAfter = HeldOutEvaluator.evaluate(calibrated, set.heldOut()).attributeMse();
    double meanIncrease = 0;
    for (String attribute : ATTRIBUTES) {
      double increase = mseAfter.get(attribute) - mseBefore.get(attribute);
      assertThat(increase).as("MSE increase of %s", attribute).isLessThan(0.003);
      meanIncrease += increase / ATTRIBUTES.size();
    }
    assertThat(meanIncrease).isLessThan(0.002);
  }

  @Test
  void withoutRelabelledPairsTheHeadsStayAsTrained() {
    // given trained heads and no relabelled pairs
    TrainingSet set = feedback();
    TrainedHeads heads = train(set, HeadsRefinement.NONE).heads();

    // when
    HeadsRefinement.Refined refined = new CalibrationStage(CalibrationConfig.defaults(), List.of())
        .refine(heads, set.referenceSet(5000));

    // then
    assertThat(refined.heads()).isSameAs(heads);
    assertThat(refined.summary()).containsEntry("calibration.pairs", "0");
  }

  private TrainingSet feedback() {
    for (double[] row : quality) {
      for (int c = 0; c < CONTENT; c++) {
        row[c] = 0.03 * rnd.nextGaussian();
      }
    }
    TrainingSet set = new TrainingSet(ATTRIBUTES, D, 1, 0.2);
    for (int i = 0; i < 1500; i++) {
      String ctx = "ctx" + i;
      float[] prompt = gaussian(D);
      TurnRecord o = turn("o" + i, ctx, "over", prompt, response(STYLE));
      TurnRecord r = turn("r" + i, ctx, "ref", prompt, response(0));
      for (TurnRecord t : List.of(o, r)) {
        set.addTurn(t);
        set.addRating(t.turnId() + "-rating", t.turnId(), labels(t.response()));
      }
      // Users judge content only: the style the raters reward does not win preferences.
      double margin = 40 * (trueQuality(o.response()) - trueQuality(r.response()));
      boolean oWins = rnd.nextDouble() < 1 / (1 + Math.exp(-margin));
      set.addPreference(oWins ? o.turnId() : r.turnId(), oWins ? r.turnId() : o.turnId(), 1);
    }
    return set;
  }

  private static double mismatchDegree(TrainingSet set, HeadsWeights heads) {
    return Calibrator.measure(set, heads, ELO, "ref").get(0).mismatchDegree();
  }

  private static HeadsRefinement.Refined train(TrainingSet set, HeadsRefinement refinement) {
    TrainingConfig config = TrainingConfig.defaults(ATTRIBUTES).withVerbosity(VerbositySignal.NONE)
        .withGating(new GatingConfig(32, 2, 0.1, 10f, 1f, 300, 64, 1e-3, 0.01, 3L));
    TrainedHeads heads = new HeadsTrainer(config).train(set.ridgeDataset(), set.trainingPairs(),
        set.referenceSet(5000));
    return refinement.refine(heads, set.referenceSet(5000));
  }

  private static HeadsWeights weights(TrainedHeads heads) {
    return HeadsRecords.weights(HeadsRecords.toRecord(heads,
        new HeadsRecords.Identity("m", 1, null, "promoted", "synthetic", "mean", 1, 10), Map.of(), Map.of()));
  }

  /** Content features, a style feature ({@code style} on average) and a constant one. */
  private float[] response(double style) {
    float[] h = new float[D];
    for (int c = 0; c < CONTENT; c++) {
      h[c] = (float) rnd.nextGaussian();
    }
    h[CONTENT] = (float) (style + 0.3 * rnd.nextGaussian());
    h[CONTENT + 1] = 1;
    return h;
  }

  private double trueQuality(float[] h) {
    double q = 0;
    for (double[] row : quality) {
      for (int c = 0; c < CONTENT; c++) {
        q += row[c] * h[c];
      }
    }
    return q;
  }

  /** Raters: content quality plus a bonus for style, around the middle of [0,1], with noise. */
  private double[] labels(float[] h) {
    double[] y = new double[ATTRIBUTES.size()];
    for (int k = 0; k < y.length; k++) {
      double v = 0.5 + styleBonus[k] * h[CONTENT];
      for (int c = 0; c < CONTENT; c++) {
        v += quality[k][c] * h[c];
      }
      y[k] = v + 0.03 * rnd.nextGaussian();
    }
    return y;
  }

  private static TurnRecord turn(String id, String ctx, String model, float[] prompt, float[] response) {
    TurnEmbedding e = Records.embedding(id, ctx, prompt, response, 50);
    e.setPolicyModel(model);
    return TurnRecord.of(e);
  }

  private float[] gaussian(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }
}
