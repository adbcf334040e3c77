package io.queststream.trainer.calibration;

/**
 * The calibration stage's hyper-parameters. {@code lambda} weighs the prior that keeps the attribute predictions near
 * the ridge solution's (mean squared shift of the K predicted attributes, labels on [0,1]) against the mean
 * Bradley-Terry loss on the pairs; the optimiser is AdamW (no weight decay: the prior anchors W at the ridge
 * solution, not at zero) under a cosine schedule, batches sampled with replacement.
 */
public record CalibrationConfig(double lambda, int steps, int batchSize, double learningRate, long seed) {

  public CalibrationConfig {
    if (!(lambda >= 0) || !Double.isFinite(lambda)) {
      throw new IllegalArgumentException("calibration lambda must be finite and >= 0, was " + lambda);
    }
    if (steps < 1 || batchSize < 1) {
      throw new IllegalArgumentException("calibration steps and batch must be positive: steps=" + steps + " batch="
          + batchSize);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("calibration learning rate must be positive, was " + learningRate);
    }
  }

  public static CalibrationConfig defaults() {
    return new CalibrationConfig(10.0, 300, 256, 1e-3, 23L);
  }
}
