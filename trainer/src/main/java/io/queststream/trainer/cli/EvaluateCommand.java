package io.queststream.trainer.cli;

import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Held-out evaluation of a weights version on the collected feedback. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a weights version (the latest published, or --weights FILE) on the held-out side of the "
        + "feedback in data.dir: pairwise and Best-of-N accuracy (RMB definitions), per-attribute MSE and Spearman.")
final class EvaluateCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Option(names = "--weights", paramLabel = "FILE", description = "Avro file with one RewardHeads record")
  Path weightsFile;

  @Override
  public Integer call() throws Exception {
    TrainerContext ctx = cli.context();
    Optional<RewardHeads> heads;
    if (weightsFile != null) {
      heads = Optional.of(VersionHistory.read(weightsFile));
    } else {
      try (WeightsPublisher p = ctx.publisher()) {
        heads = p.latest(ctx.config.modelName(), Duration.ofSeconds(30));
      }
    }
    if (heads.isEmpty()) {
      System.err.println("no weights: nothing published for " + ctx.config.modelName() + " and no --weights given");
      return 2;
    }
    HeadsWeights w = HeadsWeights.decode(heads.get(), -1);
    TrainingSet set = ctx.newTrainingSet();
    FeedbackJoiner joiner = ctx.joiner(set, TrainerContext.discard());
    ctx.openLog(joiner).close();
    Evaluation e = HeldOutEvaluator.evaluate(w, set.heldOut());
    System.out.println("v" + heads.get().getVersion() + " held-out:");
    e.asMetrics().forEach((k, v) -> System.out.printf("  %-40s %.4f%n", k, v));
    return 0;
  }
}
