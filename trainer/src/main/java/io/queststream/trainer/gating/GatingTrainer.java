package io.queststream.trainer.gating;

import java.util.Random;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2: trains the gating network on preference pairs with W and T frozen, AdamW under a cosine learning-rate
 * schedule (torch's CosineAnnealingLR with eta_min 0), batches of pairs sampled with replacement.
 */
public final class GatingTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(GatingTrainer.class);
  /** Progress is logged this many times over a run. */
  private static final int PROGRESS_REPORTS = 10;

  /** Loss after each step, in order. */
  public record Result(GatingNetwork network, double[] lossCurve, double stepsPerSecond) {}

  private final GatingConfig config;

  public GatingTrainer(GatingConfig config) {
    this.config = config;
  }

  public Result train(int inputDim, int attributes, PairSet pairs, float[] transform) {
    GatingNetwork net = GatingNetwork.initialised(inputDim, attributes, config);
    Random sampler = new Random(config.seed() + 1);
    return train(net, pairs, transform, step -> {
      int[] batch = new int[config.batchSize()];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = sampler.nextInt(pairs.size());
      }
      return batch;
    });
  }

  /** Trains the given network in place with the batches the sampler gives for each step. */
  public Result train(GatingNetwork net, PairSet pairs, float[] transform, IntFunction<int[]> batches) {
    if (pairs.size() == 0) {
      throw new IllegalArgumentException("no preference pairs to train the gate on");
    }
    BradleyTerryObjective objective = new BradleyTerryObjective(net.outputs(), transform);
    AdamW optimizer = new AdamW(net, config.weightDecay());
    Random dropout = new Random(config.seed() + 2);
    double[] curve = new double[config.steps()];
    long start = System.nanoTime();
    int reportEvery = Math.max(1, config.steps() / PROGRESS_REPORTS);
    for (int step = 0; step < config.steps(); step++) {
      net.zeroGrad();
      curve[step] = objective.lossAndGradient(net, pairs, batches.apply(step), config.dropout(), dropout);
      optimizer.step(CosineSchedule.rate(config.learningRate(), step, config.steps()));
      if ((step + 1) % reportEvery == 0 || step + 1 == config.steps()) {
        LOG.info("stage 2, gating: step {}/{}, loss {}", step + 1, config.steps(),
            String.format("%.4f", curve[step]));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(net, curve, seconds > 0 ? config.steps() / seconds : Double.NaN);
  }
}
