package io.queststream.trainer.cli;

import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.ModelConfig;
import io.queststream.trainer.embedding.TurnEmbedder;
import io.queststream.trainer.eval.RmbBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Held-out evaluation of a weights version on the collected feedback. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a weights version (the latest published, or --weights FILE) on the held-out side of the "
        + "feedback in data.dir: pairwise and Best-of-N accuracy (RMB definitions), per-attribute MSE and Spearman; "
        + "and on RMB-format benchmark files through a backbone.")
final class EvaluateCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Option(names = "--weights", paramLabel = "FILE", description = "Avro file with one RewardHeads record")
  Path weightsFile;

  @Option(names = "--rmb-pairwise", paramLabel = "FILE", description = "RMB pairwise JSON file(s) to score")
  List<Path> rmbPairwise = new ArrayList<>();

  @Option(names = "--rmb-bon", paramLabel = "FILE", description = "RMB Best-of-N JSON file(s) to score")
  List<Path> rmbBestOfN = new ArrayList<>();

  @Option(names = "--torchscript", paramLabel = "DIR",
      description = "Backbone for RMB files: an exported TorchScript reward model directory (default: --model)")
  Path torchScript;

  @Option(names = "--model", defaultValue = ModelConfig.MINILM, paramLabel = "NAME",
      description = "Bundled backbone for RMB files: minilm (fp32) or minilm-int8 (default ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--max-tokens", defaultValue = "2048", description = "Sequence limit for --torchscript")
  int maxTokens;

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
    if (!rmbPairwise.isEmpty() || !rmbBestOfN.isEmpty()) {
      ModelConfig mc = torchScript != null ? ModelConfig.torchScript(torchScript, maxTokens)
          : ModelConfig.bundled(BundledBackbone.named(model).orElseThrow(() -> new IllegalArgumentException(
              "--model must be a bundled backbone (" + BundledBackbone.names() + "), was " + model)));
      try (RewardScorer scorer = RewardScorers.create(mc)) {
        HeadsWeights forBackbone = HeadsWeights.decode(heads.get(), scorer.backbone().embeddingDim());
        TurnEmbedder embedder = new TurnEmbedder(scorer, 32);
        for (Path f : rmbPairwise) {
          print(f, RmbBenchmark.pairwise(f, forBackbone, embedder::embed));
        }
        for (Path f : rmbBestOfN) {
          print(f, RmbBenchmark.bestOfN(f, forBackbone, embedder::embed));
        }
      }
    }
    return 0;
  }

  private static void print(Path file, RmbBenchmark.Result r) {
    System.out.printf("%s (%s): %d items, accuracy %.4f%n", file, r.kind(), r.items(), r.accuracy());
    r.byCategory().forEach((c, v) -> System.out.printf("  %-40s %.4f (%d)%n", c, v[0], (int) v[1]));
  }
}
