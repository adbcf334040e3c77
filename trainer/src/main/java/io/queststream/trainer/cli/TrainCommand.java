package io.queststream.trainer.cli;

import io.queststream.trainer.cycle.CycleOutcome;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.publish.KafkaWeightsStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** On-demand training from the durable feedback log. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train once on the feedback collected in data.dir, evaluate against the published version, publish "
        + "the next version if the promotion gate passes (otherwise record the rejection).")
final class TrainCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Override
  public Integer call() {
    TrainerContext ctx = cli.context();
    TrainingSet set = ctx.newTrainingSet();
    FeedbackJoiner joiner = ctx.joiner(set, TrainerContext.discard());
    ctx.openLog(joiner).close();
    try (KafkaWeightsStore store = ctx.store()) {
      CycleOutcome outcome = ctx.cycle(store).run(set, "on demand");
      System.out.println((outcome.decision().promote() ? "published v" + outcome.publishedVersion() : "rejected")
          + " " + outcome.decision().reasons());
      System.out.println("report: " + outcome.report());
      return outcome.decision().promote() ? 0 : 3;
    }
  }
}
