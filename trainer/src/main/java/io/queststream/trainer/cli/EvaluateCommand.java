package io.queststream.trainer.cli;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.embedding.Backbones;
import io.queststream.trainer.embedding.CachedEmbedder;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.eval.QualityReport;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.imports.PublicDataImport;
import io.queststream.trainer.imports.PublicDataset;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Held-out evaluation of a weights version on the collected feedback, and on public benchmarks. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Evaluate a weights version (the latest published, or --weights FILE) on the held-out side of the "
        + "feedback in data.dir: pairwise and Best-of-N accuracy (RMB definitions) beside the longer-reply baseline, "
        + "per-attribute MSE and Spearman.",
        "With --rmb and/or --quest: the whole RMB set (pairwise and Best-of-N, both goals, per scenario) and the "
        + "QUEST-Bench scene replies through the weights' backbone, embeddings cached, on the held-out side of the "
        + "import's split and on everything; every figure beside the \"longer answer wins\" baselines in tokens and "
        + "characters. An item that cannot be scored is counted with its cause, never fatal. Writes "
        + "quality-report.json and quality-report.md."})
final class EvaluateCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Option(names = "--weights", paramLabel = "FILE", description = "Avro file with one RewardHeads record")
  Path weightsFile;

  @Mixin
  PublicDataOptions data;

  @Mixin
  EmbeddingOptions embedding;

  @Option(names = "--torchscript", paramLabel = "DIR",
      description = "Backbone for public data: an exported TorchScript reward model directory (default: the "
          + "backbone the weights name)")
  Path torchScript;

  @Option(names = "--max-tokens", defaultValue = "2048", description = "Sequence limit for --torchscript")
  int maxTokens;

  @Option(names = "--report", paramLabel = "DIR", description = "Where the public-data report goes (default: "
      + "data.dir/reports/quality-<model>-v<version>)")
  Path reportDir;

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
    RewardHeads record = heads.get();
    HeadsWeights w = HeadsWeights.decode(record, -1);
    TrainingSet set = ctx.newTrainingSet();
    FeedbackJoiner joiner = ctx.joiner(set, TrainerContext.discard());
    ctx.openLog(joiner).close();
    Evaluation e = HeldOutEvaluator.evaluate(w, set.heldOut());
    System.out.println("v" + record.getVersion() + " held-out feedback:");
    e.asMetrics().forEach((k, v) -> System.out.printf("  %-50s %.4f%n", k, v));
    if (!data.any()) {
      return 0;
    }
    ModelConfig mc;
    if (torchScript != null) {
      mc = ModelConfig.torchScript(torchScript, maxTokens);
    } else {
      String name = embedding.backbone != null ? embedding.backbone
          : Backbones.nameOf(record.getBackboneId()).orElse(null);
      if (name == null) {
        System.err.println("weights are for backbone '" + record.getBackboneId() + "', which is neither bundled nor "
            + "an extra encoder; name it with --torchscript DIR");
        return 2;
      }
      mc = Backbones.config(name);
    }
    PublicDataImport.Options options = data.options();
    PublicDataset dataset = PublicDataSteps.read(options, System.out);
    try (RewardScorer scorer = RewardScorers.create(mc);
        BackboneCallGuard guard = BackboneCallGuard.exitingWhenHung(scorer, ctx.config.backboneCallDeadline())) {
      if (!scorer.backbone().id().equals(record.getBackboneId())) {
        System.err.println("weights are for backbone '" + record.getBackboneId() + "', the backbone loaded is '"
            + scorer.backbone().id() + "'");
        return 2;
      }
      HeadsWeights forBackbone = HeadsWeights.decode(record, scorer.backbone().embeddingDim());
      CachedEmbedder.Result embedded = PublicDataSteps.embed(scorer, mc.contextBudget(), embedding, ctx.config,
          dataset, System.out);
      QualityReport report = QualityReport.evaluate(dataset, embedded.embedded(), embedded.failures(), forBackbone,
          PublicDataSteps.split(ctx.config).assigner(), options.questMargin());
      Path dir = reportDir != null ? reportDir : ctx.reportDir().resolve("quality-" + record.getModelName() + "-v"
          + record.getVersion());
      report.write(dir);
      System.out.println(report.markdown(2));
      System.out.println("report: " + dir.resolve("quality-report.md") + " (every scenario), "
          + dir.resolve("quality-report.json"));
    }
    return 0;
  }
}
