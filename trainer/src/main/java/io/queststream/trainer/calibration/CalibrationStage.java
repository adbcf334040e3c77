package io.queststream.trainer.calibration;

import io.queststream.model.heads.HeadsMath;
import io.queststream.trainer.gating.AdamW;
import io.queststream.trainer.gating.CosineSchedule;
import io.queststream.trainer.gating.GatingNetwork;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.training.HeadsRefinement;
import io.queststream.trainer.training.ReferenceSet;
import io.queststream.trainer.training.TrainedHeads;
import io.queststream.trainer.training.TrainingPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Calibration's third stage: fine-tunes the regression W on the relabelled preference pairs. The regular stages
 * cannot follow a relabelled pair between two models' answers to one prompt: W comes from absolute ratings, which
 * calibration does not change, and both answers share the prompt embedding, so the gate can only reweight attributes
 * for both alike, never lower one model's scores. W can: the stage minimises the Bradley-Terry loss through the full
 * inference path (gate and T held fixed as trained) plus λ · mean ‖(W − W_ridge) h‖² over the training side's
 * responses, which keeps each attribute's predictions, and so its meaning and ratings error, close to the ridge fit.
 * Only the relabelled pairs drive the stage: the gate has already fitted the other pairs, and fitting them again with
 * W would spend the prior's budget on general pairwise accuracy instead of on the calibration.
 */
public final class CalibrationStage implements HeadsRefinement {

  private static final int GATE_ROWS = 1024;

  private final CalibrationConfig config;
  private final List<TrainingPair> pairs;

  /** @param pairs the relabelled pairs on the training side ({@link Calibrator.Relabelling#trainingPairs()}) */
  public CalibrationStage(CalibrationConfig config, List<TrainingPair> pairs) {
    this.config = config;
    this.pairs = List.copyOf(pairs);
  }

  @Override
  public Refined refine(TrainedHeads heads, ReferenceSet reference) {
    if (pairs.isEmpty()) {
      return new Refined(heads, Map.of("calibration.pairs", "0"));
    }
    int k = heads.attributes().size();
    int d = heads.ridge().dim();
    float[] ridge = heads.ridge().weights();
    CalibrationObjective objective = new CalibrationObjective(k, d, ridge, config.lambda(),
        pairsWithCoefficients(heads, pairs), priorResponses(pairs, reference));
    float[] w = objective.anchor();
    float[] grad = new float[w.length];
    AdamW optimizer = AdamW.over(w, grad, 0);
    Random sampler = new Random(config.seed());
    for (int step = 0; step < config.steps(); step++) {
      objective.lossAndGradient(w, sample(sampler, objective.pairCount()),
          sample(sampler, objective.priorCount()), grad);
      optimizer.step(CosineSchedule.rate(config.learningRate(), step, config.steps()));
    }
    int[] allPairs = IntStream.range(0, objective.pairCount()).toArray();
    int[] allPrior = IntStream.range(0, objective.priorCount()).toArray();
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put("calibration.pairs", Integer.toString(objective.pairCount()));
    summary.put("calibration.lambda", Double.toString(config.lambda()));
    summary.put("calibration.steps", Integer.toString(config.steps()));
    summary.put("calibration.pair_scale", Double.toString(objective.scale()));
    summary.put("calibration.pair_loss_before", Double.toString(objective.pairLoss(ridge, allPairs, null)));
    summary.put("calibration.pair_loss_after", Double.toString(objective.pairLoss(w, allPairs, null)));
    summary.put("calibration.attribute_shift_rms",
        Double.toString(Math.sqrt(objective.priorShift(w, allPrior, null) / k)));
    RidgeFit tuned = new RidgeFit(k, d, w, heads.ridge().perAttribute());
    return new Refined(new TrainedHeads(heads.attributes(), tuned, heads.transform(), heads.gating(),
        heads.verbosity(), heads.lossCurve(), heads.gatingStepsPerSecond(), heads.ratingRows(), heads.pairs()),
        summary);
  }

  private int[] sample(Random sampler, int n) {
    int[] batch = new int[config.batchSize()];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = sampler.nextInt(n);
    }
    return batch;
  }

  /** Each side's inference coefficients, computed once per prompt key with the trained gate (no dropout). */
  private static CalibrationObjective.Pairs pairsWithCoefficients(TrainedHeads heads, List<TrainingPair> pairs) {
    Map<String, float[]> prompts = new LinkedHashMap<>();
    for (TrainingPair p : pairs) {
      prompts.putIfAbsent(p.chosenPromptKey(), p.chosenPrompt());
      prompts.putIfAbsent(p.rejectedPromptKey(), p.rejectedPrompt());
    }
    Map<String, float[]> coefficients = coefficients(heads, prompts);
    int n = pairs.size();
    float[][] cc = new float[n][];
    float[][] hc = new float[n][];
    float[][] cr = new float[n][];
    float[][] hr = new float[n][];
    float[] weights = new float[n];
    for (int i = 0; i < n; i++) {
      TrainingPair p = pairs.get(i);
      cc[i] = coefficients.get(p.chosenPromptKey());
      hc[i] = p.chosenResponse();
      cr[i] = coefficients.get(p.rejectedPromptKey());
      hr[i] = p.rejectedResponse();
      weights[i] = p.weight();
    }
    return new CalibrationObjective.Pairs(cc, hc, cr, hr, weights);
  }

  private static Map<String, float[]> coefficients(TrainedHeads heads, Map<String, float[]> prompts) {
    GatingNetwork gate = heads.gating();
    int k = gate.outputs();
    int dim = gate.inputDim();
    float[] t = heads.transform().matrix();
    List<String> keys = new ArrayList<>(prompts.keySet());
    Map<String, float[]> out = new HashMap<>();
    for (int from = 0; from < keys.size(); from += GATE_ROWS) {
      int rows = Math.min(GATE_ROWS, keys.size() - from);
      float[] x = new float[rows * dim];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(prompts.get(keys.get(from + r)), 0, x, r * dim, dim);
      }
      float[] logits = gate.forward(x, rows, 0, null).logits();
      for (int r = 0; r < rows; r++) {
        float[] row = new float[k];
        System.arraycopy(logits, r * k, row, 0, k);
        float[] g = HeadsMath.scaledSoftmax(row, gate.temperature(), gate.beta());
        float[] c = new float[k];
        for (int i = 0; i < k; i++) {
          double s = 0;
          for (int j = 0; j < k; j++) {
            s += (double) t[i * k + j] * g[j];
          }
          c[i] = (float) s;
        }
        out.put(keys.get(from + r), c);
      }
    }
    return out;
  }

  /** The training side's responses; the pairs' own when there is no reference set. */
  private static float[][] priorResponses(List<TrainingPair> pairs, ReferenceSet reference) {
    if (reference.size() > 0) {
      return reference.responses();
    }
    List<float[]> responses = new ArrayList<>();
    for (TrainingPair p : pairs) {
      responses.add(p.chosenResponse());
      responses.add(p.rejectedResponse());
    }
    return responses.toArray(new float[0][]);
  }
}
