package io.queststream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.eval.HeldOutSet;
import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.ridge.RidgeDataset;
import io.queststream.trainer.ridge.SplitAssigner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Learning test on data drawn from a known reward model: rewards = W* h_r, gate = softmax(M h_p), preferences drawn
 * from Bradley-Terry on the true scores. The trainer must recover W* and a gate as accurate as the generator.
 */
class SyntheticRecoveryTest {

  private static final int D = 24;
  private static final int K = 4;
  private static final double SHARPNESS = 12;

  private final Random rnd = new Random(2024);
  private final double[][] trueW = gaussianMatrix(K, D, 0.1);
  private final double[][] trueM = gaussianMatrix(K, D, 0.3);

  @Test
  void recoversRegressionWeightsAndAGateAsAccurateAsTheGenerator() {
    // given ratings of 3000 responses and 40000 preference pairs drawn from the generating model
    RidgeDataset ratings = new RidgeDataset(D, K, new SplitAssigner(42, 0.2));
    for (int i = 0; i < 3000; i++) {
      float[] h = gaussian(D);
      double[] y = trueRewards(h);
      for (int k = 0; k < K; k++) {
        y[k] += 0.02 * rnd.nextGaussian();
      }
      ratings.add("t" + i, h, y);
    }
    List<TrainingPair> pairs = new ArrayList<>();
    for (int i = 0; i < 40000; i++) {
      Drawn p = drawPair();
      pairs.add(new TrainingPair("c" + i, p.prompt, p.chosen, "c" + i, p.prompt, p.rejected, 1f));
    }
    List<HeldOutSet.Pair> heldOut = new ArrayList<>();
    int generatorCorrect = 0;
    for (int i = 0; i < 3000; i++) {
      Drawn p = drawPair();
      heldOut.add(new HeldOutSet.Pair(p.prompt, p.chosen, p.prompt, p.rejected, 0, 0));
      if (trueScore(p.prompt, p.chosen) > trueScore(p.prompt, p.rejected)) {
        generatorCorrect++;
      }
    }
    double generatorAccuracy = generatorCorrect / 3000.0;
    int uniformCorrect = 0;
    for (HeldOutSet.Pair p : heldOut) {
      double[] rc = trueRewards(p.chosenResponse());
      double[] rr = trueRewards(p.rejectedResponse());
      double d = 0;
      for (int k = 0; k < K; k++) {
        d += rc[k] - rr[k];
      }
      if (d > 0) {
        uniformCorrect++;
      }
    }
    double uniformGateAccuracy = uniformCorrect / 3000.0;
    GatingConfig gating = new GatingConfig(64, 3, 0.2, 10f, 1f, 3000, 256, 5e-3, 0.01, 7L);
    TrainingConfig config = TrainingConfig.defaults(List.of("a", "b", "c", "d")).withGating(gating)
        .withVerbosity(VerbositySignal.NONE);

    // when
    TrainedHeads heads = new HeadsTrainer(config).train(ratings, pairs, new ReferenceSet(new float[0][], new double[0]));
    RewardHeads record = HeadsRecords.toRecord(heads,
        new HeadsRecords.Identity("synthetic", 1, null, "promoted", "synthetic", "mean", 0, 1), Map.of(), Map.of());
    HeadsWeights weights = HeadsRecords.weights(record);
    Evaluation eval = HeldOutEvaluator.evaluate(weights, new HeldOutSet(heldOut, List.of(), List.of()));

    // then (the prompt-dependent gate matters: a uniform gate is far less accurate than the generator)
    assertThat(generatorAccuracy - uniformGateAccuracy).isGreaterThan(0.1);
    assertThat(rSquared(heads.ridge().weights())).isGreaterThanOrEqualTo(0.95);
    assertThat(eval.pairwiseAccuracy()).isGreaterThanOrEqualTo(generatorAccuracy - 0.01);
    assertThat(heads.lossCurve()[heads.lossCurve().length - 1]).isLessThan(heads.lossCurve()[0]);
  }

  private record Drawn(float[] prompt, float[] chosen, float[] rejected) {}

  private Drawn drawPair() {
    float[] prompt = gaussian(D);
    float[] a = gaussian(D);
    float[] b = gaussian(D);
    double margin = SHARPNESS * (trueScore(prompt, a) - trueScore(prompt, b));
    boolean aWins = rnd.nextDouble() < 1 / (1 + Math.exp(-margin));
    return aWins ? new Drawn(prompt, a, b) : new Drawn(prompt, b, a);
  }

  private double trueScore(float[] prompt, float[] response) {
    double[] logits = new double[K];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < K; k++) {
      for (int c = 0; c < D; c++) {
        logits[k] += trueM[k][c] * prompt[c];
      }
      max = Math.max(max, logits[k]);
    }
    double sum = 0;
    for (int k = 0; k < K; k++) {
      logits[k] = Math.exp(logits[k] - max);
      sum += logits[k];
    }
    double[] r = trueRewards(response);
    double s = 0;
    for (int k = 0; k < K; k++) {
      s += logits[k] / sum * r[k];
    }
    return s;
  }

  private double[] trueRewards(float[] h) {
    double[] r = new double[K];
    for (int k = 0; k < K; k++) {
      for (int c = 0; c < D; c++) {
        r[k] += trueW[k][c] * h[c];
      }
    }
    return r;
  }

  private double rSquared(float[] w) {
    double mean = 0;
    for (double[] row : trueW) {
      for (double v : row) {
        mean += v / (K * D);
      }
    }
    double res = 0;
    double tot = 0;
    for (int k = 0; k < K; k++) {
      for (int c = 0; c < D; c++) {
        res += Math.pow(w[k * D + c] - trueW[k][c], 2);
        tot += Math.pow(trueW[k][c] - mean, 2);
      }
    }
    return 1 - res / tot;
  }

  private float[] gaussian(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  private double[][] gaussianMatrix(int rows, int cols, double scale) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int c = 0; c < cols; c++) {
        row[c] = scale * rnd.nextGaussian();
      }
    }
    return m;
  }
}
