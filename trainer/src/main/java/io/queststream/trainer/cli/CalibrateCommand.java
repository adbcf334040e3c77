package io.queststream.trainer.cli;

import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.calibration.CalibrationStage;
import io.queststream.trainer.calibration.Calibrator;
import io.queststream.trainer.calibration.ModelCalibration;
import io.queststream.trainer.cycle.CycleOutcome;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.training.HeadsRecords;
import io.queststream.sample.SampleData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Calibrates the reward model against reference ratings of the policy models, then retrains and gates. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = "Per policy model: mismatch degree against the reference model's Elo (calibration.elo, or fitted "
        + "from the platform's own preferences between models), offset by bisection, relabel the shared prompts' "
        + "pairs, retrain (ridge, gate, then W fine-tuned on the pairs with its shift from the ridge fit penalised by "
        + "calibration.lambda) and publish through the promotion gate; prints MD and held-out attribute MSE before "
        + "and after.")
final class CalibrateCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Option(names = "--reference", description = "Reference policy model (default: the one with the most turns)")
  String reference;

  @Option(names = "--sample-elo",
      description = "Use the published arena ratings that ship with the sample data as reference ratings")
  boolean sampleElo;

  @Override
  public Integer call() {
    TrainerContext ctx = cli.context();
    TrainingSet set = ctx.newTrainingSet();
    FeedbackJoiner joiner = ctx.joiner(set, TrainerContext.discard());
    ctx.openLog(joiner).close();
    try (KafkaWeightsStore store = ctx.store()) {
      Optional<RewardHeads> current = store.latest();
      if (current.isEmpty()) {
        System.err.println("nothing published yet: run bootstrap or train first");
        return 2;
      }
      HeadsWeights before = HeadsRecords.weights(current.get());
      Map<String, Double> configured = new HashMap<>(ctx.config.referenceElo());
      if (sampleElo) {
        SampleData.load().policyElo().forEach((model, rating) -> configured.putIfAbsent(model, rating.doubleValue()));
      }
      Map<String, Double> elo = Calibrator.ratings(set, configured);
      String ref = reference != null ? reference : Calibrator.mostFrequentModel(set);
      Calibrator.Relabelling relabelling = Calibrator.relabel(set, before, elo, ref);
      List<ModelCalibration> calibrated = relabelling.models();
      CycleOutcome outcome = ctx.cycle(store).run(set, "calibration against " + ref,
          new CalibrationStage(ctx.config.calibration(), relabelling.trainingPairs()));
      List<ModelCalibration> after = Calibrator.measure(set, HeadsRecords.weights(outcome.candidate()), elo, ref);
      System.out.printf("%-28s %8s %8s %8s %10s %10s %8s%n", "model (vs " + ref + ")", "prompts", "P", "Elo",
          "MD before", "MD after", "offset");
      for (ModelCalibration c : calibrated) {
        double mdAfter = after.stream().filter(a -> a.model().equals(c.model())).mapToDouble(
            ModelCalibration::mismatchDegree).findFirst().orElse(Double.NaN);
        System.out.printf("%-28s %8d %8.3f %8.0f %10.3f %10.3f %8.4f%n", c.model(), c.sharedPrompts(),
            c.expectedWinRate(), elo.get(c.model()), c.mismatchDegree(), mdAfter, c.offset());
      }
      printAttributeMse(outcome);
      new TreeMap<>(outcome.candidate().getTrainingSummary()).forEach((k, v) -> {
        if (k.startsWith("calibration.")) {
          System.out.println("  " + k + " = " + v);
        }
      });
      System.out.println((outcome.decision().promote() ? "published v" + outcome.publishedVersion() : "rejected")
          + " " + outcome.decision().reasons());
      return outcome.decision().promote() ? 0 : 3;
    }
  }

  /** Held-out MSE per attribute of the published version the run started from and of the calibrated candidate. */
  private static void printAttributeMse(CycleOutcome outcome) {
    if (outcome.current() == null) {
      return;
    }
    System.out.printf("%-32s %12s %12s%n", "held-out attribute MSE", "before", "after");
    outcome.evaluation().attributeMse().forEach((attribute, after) -> System.out.printf("%-32s %12.5f %12.5f%n",
        attribute, outcome.current().attributeMse().getOrDefault(attribute, Double.NaN), after));
  }
}
