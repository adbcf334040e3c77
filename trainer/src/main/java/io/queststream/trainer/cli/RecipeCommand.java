package io.queststream.trainer.cli;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.calibration.CalibrationConfig;
import io.queststream.trainer.calibration.CalibrationStage;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.embedding.Backbones;
import io.queststream.trainer.embedding.CachedEmbedder;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.eval.QualityReport;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.RejectionCause;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.imports.ImportManifest;
import io.queststream.trainer.imports.feedback.ImportedFeedback;
import io.queststream.trainer.imports.PublicDataImport;
import io.queststream.trainer.imports.PublicDataset;
import io.queststream.trainer.imports.QuestSceneReader;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.ridge.SplitAssigner;
import io.queststream.trainer.training.HeadsRecords;
import io.queststream.trainer.training.HeadsRefinement;
import io.queststream.trainer.training.HeadsTrainer;
import io.queststream.trainer.training.ReferenceSet;
import io.queststream.trainer.training.TrainedHeads;
import io.queststream.trainer.training.TrainingPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Heads trained from public data, end to end and reproducibly, with the evaluation that says what they are worth. */
@Command(name = "recipe", mixinStandardHelpOptions = true,
    description = {"Import RMB and the QUEST-Bench scene part, embed them with one backbone (cached: a second run "
        + "embeds nothing), train stage 1 (ridge) on the QUEST-Bench judge ratings and stage 2 (gating) on the RMB "
        + "and QUEST-Bench preference pairs of the training side, evaluate on the held-out side (RMB by "
        + "conversation, QUEST-Bench by scene; split.seed, heldout.fraction), and write to --out: weights.avro (one "
        + "RewardHeads record; publish it with `trainer publish`), quality-report.md/.json and manifest.json.",
        "Nothing is published and no broker is needed."})
final class RecipeCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Mixin
  PublicDataOptions data;

  @Mixin
  EmbeddingOptions embedding;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the results go")
  Path out;

  @Option(names = "--validation", description = "For choosing settings without looking at the held-out side: leave "
      + "it out entirely, split the rest again by the same keys (split.seed + 1, same fraction), and train and report "
      + "on that inner split; the validation side then stands where the held-out side stands in every figure")
  boolean validation;

  @Option(names = "--pair-tuned-w", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "After the two stages, fine-tune W on the training-side pairs with calibration's stage "
      + "(Bradley-Terry through the trained gate and T, plus --pair-lambda times the shift of the attribute "
      + "predictions from the ridge fit; calibration.steps, .batch, .lr, .seed): the only way pairs reach W, which "
      + "otherwise learns from the ratings alone. On by default (chosen on the validation side, docs/quality.md); "
      + "--no-pair-tuned-w keeps the two stages only")
  boolean pairTunedW;

  @Option(names = "--pair-lambda", defaultValue = "0.1", paramLabel = "LAMBDA",
      description = "Weight of the prior that keeps the pair-tuned attribute predictions near the ridge fit "
      + "(calibration.lambda for this stage; chosen on the validation side among 10, 1 and 0.1). "
      + "Default: ${DEFAULT-VALUE}")
  double pairLambda;

  @Override
  public Integer call() throws Exception {
    TrainerContext base = cli.context();
    long t0 = System.nanoTime();
    PublicDataImport.Options options = data.options();
    PublicDataset dataset = PublicDataSteps.read(options, System.out);
    if (validation) {
      SplitAssigner heldOut = PublicDataSteps.split(base.config).assigner();
      dataset = dataset.restrictTo(key -> !heldOut.isValidation(key));
      base = new TrainerContext(base.config.with("split.seed", Long.toString(base.config.splitSeed() + 1)));
      System.out.println("validation: held-out side left out, " + dataset.counts() + " split again with seed "
          + base.config.splitSeed());
    }
    Files.createDirectories(out);
    PublicDataSteps.writeManifest(out.resolve("manifest.json"), dataset, options, base.config);
    long t1 = System.nanoTime();
    String name = embedding.backbone != null ? embedding.backbone : ModelConfig.MINILM;
    ModelConfig mc = Backbones.config(name);
    BackboneInfo backbone;
    CachedEmbedder.Result embedded;
    try (RewardScorer scorer = RewardScorers.create(mc);
        BackboneCallGuard guard = BackboneCallGuard.exitingWhenHung(scorer, base.config.backboneCallDeadline())) {
      backbone = scorer.backbone();
      embedded = PublicDataSteps.embed(scorer, mc.contextBudget(), embedding, base.config, dataset, System.out);
    }
    long t2 = System.nanoTime();
    TrainerContext ctx = new TrainerContext(base.config.with("backbone.id", backbone.id())
        .with("backbone.dim", Integer.toString(backbone.embeddingDim())).with("backbone.pooling", backbone.pooling())
        .with("scale.min", Double.toString(QuestSceneReader.SCALE_MIN))
        .with("scale.max", Double.toString(QuestSceneReader.SCALE_MAX)));
    TrainingSet set = ctx.newTrainingSet();
    Map<RejectionCause, Integer> rejected = new EnumMap<>(RejectionCause.class);
    FeedbackJoiner joiner = ctx.joiner(set, (source, cause, message) -> rejected.merge(cause, 1, Integer::sum));
    for (SpecificRecord r : ImportedFeedback.records(dataset, embedded.embedded(), backbone, dataset.issues())) {
      joiner.onRecord(r, SourceRecord.local("recipe"), System.currentTimeMillis());
    }
    System.out.println("training set " + set.summary() + (rejected.isEmpty() ? "" : ", rejected " + rejected));
    List<TrainingPair> pairs = set.trainingPairs();
    if (pairs.isEmpty() || "0".equals(set.summary().get("ratings"))) {
      System.err.println("nothing to train on: no preference pairs or no ratings on the training side");
      return 3;
    }
    ReferenceSet reference = set.referenceSet(5000);
    TrainedHeads trained = new HeadsTrainer(ctx.config.training()).train(set.ridgeDataset(), pairs, reference);
    Map<String, String> refinement = Map.of();
    if (pairTunedW) {
      CalibrationConfig c = ctx.config.calibration();
      CalibrationConfig stage = new CalibrationConfig(pairLambda, c.steps(), c.batchSize(), c.learningRate(), c.seed());
      HeadsRefinement.Refined refined = new CalibrationStage(stage, pairs).refine(trained, reference);
      trained = refined.heads();
      refinement = refined.summary();
      System.out.println("W tuned on " + pairs.size() + " training pairs: " + refinement);
    }
    HeadsRecords.Identity id = new HeadsRecords.Identity(ctx.config.modelName(), 1, null, "candidate",
        backbone.id(), backbone.pooling(), ctx.config.scaleMin(), ctx.config.scaleMax());
    Map<String, String> summary = summary(set, name, dataset);
    summary.putAll(refinement);
    if (validation) {
      summary.put("recipe.validation", "held-out side left out; inner split seed " + ctx.config.splitSeed());
    }
    RewardHeads draft = HeadsRecords.toRecord(trained, id, summary, Map.of());
    Evaluation heldOut = HeldOutEvaluator.evaluate(HeadsRecords.weights(draft), set.heldOut());
    RewardHeads record = HeadsRecords.toRecord(trained, id, summary, heldOut.asMetrics());
    VersionHistory.write(record, out.resolve("weights.avro"));
    long t3 = System.nanoTime();
    QualityReport report = QualityReport.evaluate(dataset, embedded.embedded(), embedded.failures(),
        HeadsWeights.decode(record, backbone.embeddingDim()), PublicDataSteps.split(ctx.config).assigner(),
        options.questMargin());
    report.write(out);
    long t4 = System.nanoTime();
    System.out.println("trainer's held-out feedback metrics:");
    heldOut.asMetrics().forEach((k, v) -> System.out.printf("  %-50s %.4f%n", k, v));
    System.out.println(report.markdown(2));
    System.out.printf("times: read %.1f s, embed %.1f s (%d newly embedded), train %.1f s, evaluate %.1f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, embedded.computed(), (t3 - t2) / 1e9, (t4 - t3) / 1e9);
    System.out.println("wrote " + out.resolve("weights.avro") + ", " + out.resolve("quality-report.md") + ", "
        + out.resolve("manifest.json"));
    PublicDataSteps.printIssues(dataset.issues(), System.out);
    return 0;
  }

  private static Map<String, String> summary(TrainingSet set, String backbone, PublicDataset dataset) {
    Map<String, String> s = new LinkedHashMap<>(set.summary());
    s.put("trigger", "recipe from public data");
    s.put("recipe.backbone", backbone);
    if (!dataset.rmbFiles().isEmpty()) {
      s.put("recipe.rmb_files_sha256", ImportManifest.combinedSha256(dataset.rmbFiles()));
    }
    if (!dataset.questFiles().isEmpty()) {
      s.put("recipe.quest_files_sha256", ImportManifest.combinedSha256(dataset.questFiles()));
    }
    dataset.counts().forEach((k, v) -> s.put("recipe." + k, Integer.toString(v)));
    return s;
  }
}
