package io.queststream.trainer.training;

import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.ridge.RidgeTrainer;
import java.util.List;

/** Everything a two-stage training run needs besides the data. */
public record TrainingConfig(List<String> attributes, double[] alphas, long splitSeed, GatingConfig gating,
    VerbositySignal verbosity, int referenceLimit) {

  public static TrainingConfig defaults(List<String> attributes) {
    return new TrainingConfig(attributes, RidgeTrainer.DEFAULT_ALPHAS, 42L, GatingConfig.defaults(),
        VerbositySignal.RESPONSE_TOKENS, 5000);
  }

  public TrainingConfig withGating(GatingConfig gating) {
    return new TrainingConfig(attributes, alphas, splitSeed, gating, verbosity, referenceLimit);
  }

  public TrainingConfig withVerbosity(VerbositySignal verbosity) {
    return new TrainingConfig(attributes, alphas, splitSeed, gating, verbosity, referenceLimit);
  }
}
