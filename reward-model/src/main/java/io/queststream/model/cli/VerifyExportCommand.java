package io.queststream.model.cli;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.export.ExportedHeads;
import io.queststream.model.export.ParityReference;
import io.queststream.model.export.ParityReport;
import io.queststream.model.config.ModelConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Loads an exported model the way the streams app would and compares it with the Python reference outputs. */
@Command(name = "verify-export", mixinStandardHelpOptions = true,
    description = "Score the exported model's parity.json conversations in Java and compare embeddings, rewards, "
        + "gating, coefficients and score with what the Python model computed.")
final class VerifyExportCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "model directory written by tools/export_reward_model.py")
  Path modelDir;

  @Option(names = "--tolerance", defaultValue = "1e-3",
      description = "largest accepted difference, relative for embeddings, absolute for rewards, gating, "
          + "coefficients and score (bf16 models: ~1e-2) (default: ${DEFAULT-VALUE})")
  double tolerance;

  @Mixin
  ModelOptions options;

  @Override
  public Integer call() throws Exception {
    options.model = modelDir.toString();
    ModelConfig config = options.toConfig();
    ParityReference reference = ParityReference.load(modelDir);
    try (RewardScorer scorer = RewardScorers.create(config)) {
      scorer.installWeights(ExportedHeads.read(modelDir));
      ParityReport report = ParityReport.compare(reference, scorer.score(reference.requests()));
      System.out.println(scorer.backbone() + ": " + report);
      return report.worst() <= tolerance ? 0 : 1;
    }
  }
}
