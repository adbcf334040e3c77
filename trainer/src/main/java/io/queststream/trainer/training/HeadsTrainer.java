package io.queststream.trainer.training;

import io.queststream.trainer.gating.GatingTrainer;
import io.queststream.trainer.gating.PairSet;
import io.queststream.trainer.ridge.RidgeDataset;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.ridge.RidgeTrainer;
import io.queststream.trainer.transform.VerbosityDebiaser;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two training stages in order: ridge W from ratings, the debiasing transform T from the rewards W gives on a
 * reference set, then the gate on preference pairs with W and T frozen and applied exactly as at inference.
 */
public final class HeadsTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(HeadsTrainer.class);

  private final TrainingConfig config;

  public HeadsTrainer(TrainingConfig config) {
    this.config = config;
  }

  public TrainingConfig config() {
    return config;
  }

  public TrainedHeads train(RidgeDataset ratings, List<TrainingPair> pairs, ReferenceSet reference) {
    if (ratings.attributes() != config.attributes().size()) {
      throw new IllegalArgumentException("rating data has " + ratings.attributes() + " attributes, config names "
          + config.attributes().size());
    }
    LOG.info("stage 1, ridge: {} attribute heads on {}-d embeddings", ratings.attributes(), ratings.dim());
    RidgeFit ridge = new RidgeTrainer(config.alphas()).fit(ratings);
    long ratingRows = ridge.perAttribute().stream().mapToLong(a -> a.trainRows() + a.validationRows()).max()
        .orElse(0);
    VerbosityDebiaser.Transform transform = transform(ridge, reference);
    int k = config.attributes().size();
    PairSet.Builder set = PairSet.builder();
    for (TrainingPair p : pairs) {
      set.add(p.chosenPromptKey(), p.chosenPrompt(), ridge.rewards(p.chosenResponse()), p.rejectedPromptKey(),
          p.rejectedPrompt(), ridge.rewards(p.rejectedResponse()), p.weight());
    }
    PairSet pairSet = set.build();
    LOG.info("stage 2, gating: {} preference pairs, {} steps", pairSet.size(), config.gating().steps());
    GatingTrainer.Result gate = new GatingTrainer(config.gating()).train(ratings.dim(), k, pairSet,
        transform.matrix());
    return new TrainedHeads(config.attributes(), ridge, transform, gate.network(), config.verbosity(),
        gate.lossCurve(), gate.stepsPerSecond(), ratingRows, pairSet.size());
  }

  private VerbosityDebiaser.Transform transform(RidgeFit ridge, ReferenceSet reference) {
    int k = config.attributes().size();
    VerbositySignal v = config.verbosity();
    if (v.equals(VerbositySignal.NONE) || reference.size() == 0) {
      return VerbosityDebiaser.Transform.identity(k);
    }
    int n = Math.min(reference.size(), config.referenceLimit());
    float[][] rewards = new float[n][];
    double[] tokens = new double[n];
    for (int i = 0; i < n; i++) {
      rewards[i] = ridge.rewards(reference.responses()[i]);
      tokens[i] = reference.responseTokens()[i];
    }
    if (v.isAttribute()) {
      int a = config.attributes().indexOf(v.attributeName());
      if (a < 0) {
        throw new IllegalArgumentException("verbosity attribute '" + v.attributeName() + "' is not one of "
            + config.attributes());
      }
      return VerbosityDebiaser.fromAttribute(rewards, a);
    }
    return VerbosityDebiaser.fromSignal(rewards, tokens);
  }
}
