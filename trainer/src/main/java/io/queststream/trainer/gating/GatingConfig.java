package io.queststream.trainer.gating;

/**
 * Stage-2 hyper-parameters. Defaults follow ArmoRM (docs/architecture.md#7-training-the-heads) for the architecture (3
 * hidden layers of 1024, dropout 0.2, tau 10, beta init 1, AdamW 1e-3 with cosine decay) with a small step/batch
 * budget that suits the amount of feedback a new deployment has; raise steps and batch as data grows.
 */
public record GatingConfig(int hidden, int hiddenLayers, double dropout, float temperature, float betaInit,
    int steps, int batchSize, double learningRate, double weightDecay, long seed) {

  public GatingConfig {
    if (hidden < 1 || hiddenLayers < 0 || steps < 0 || batchSize < 1) {
      throw new IllegalArgumentException("gating sizes must be positive: hidden=" + hidden + " layers="
          + hiddenLayers + " steps=" + steps + " batch=" + batchSize);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0,1), was " + dropout);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, was " + temperature);
    }
  }

  public static GatingConfig defaults() {
    return new GatingConfig(1024, 3, 0.2, 10f, 1f, 300, 64, 1e-3, 0.01, 17L);
  }

  public GatingConfig withSteps(int steps, int batchSize) {
    return new GatingConfig(hidden, hiddenLayers, dropout, temperature, betaInit, steps, batchSize, learningRate,
        weightDecay, seed);
  }

}
