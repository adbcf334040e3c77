package io.queststream.trainer.cli;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.trainer.cycle.CycleOutcome;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.embedding.Backbones;
import io.queststream.trainer.embedding.SampleSubset;
import io.queststream.trainer.embedding.SampleTurns;
import io.queststream.trainer.embedding.TurnEmbedder;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.FeedbackLog;
import io.queststream.trainer.feedback.RejectionCause;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.HeldOutEvaluator;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.training.HeadsRecords;
import io.queststream.trainer.training.HeadsTrainer;
import io.queststream.trainer.training.TrainedHeads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Trains the first version from the sample data set: embeds its assistant turns with the default MiniLM backbone,
 * adds them with the sample ratings, pairs and rankings to the feedback log, then runs one training cycle.
 */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
    description = "Embed the sample data set with the bundled MiniLM backbone, store it as feedback in data.dir and "
        + "train and publish the first version.")
final class BootstrapCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Option(names = "--sample-dir", paramLabel = "DIR",
      description = "A data set written by `sample-data generate`; default: the committed one")
  Path sampleDir;

  @Option(names = "--batch", defaultValue = "32", description = "Turns per embedding call (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--conversations", paramLabel = "N", description = "Use only the first N conversations and the "
      + "feedback about them (embedding is the slow part on a CPU); default: all")
  Integer conversations;

  @Option(names = "--force", description = "Train and publish even when a version is already published")
  boolean force;

  @Option(names = "--backbone", defaultValue = ModelConfig.MINILM, paramLabel = "NAME",
      description = "Backbone to embed with: minilm (fp32) or minilm-q (int8), or an extra encoder of a "
          + "-Pextra-backbones build; the weights carry its backbone id (default ${DEFAULT-VALUE})")
  String backboneName;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the trained heads to FILE (one RewardHeads "
      + "record, unsigned, for `trainer evaluate --weights` or `trainer publish`) instead of publishing them: no "
      + "broker, nothing added to the feedback log")
  Path out;

  @Override
  public Integer call() throws Exception {
    TrainerContext base = cli.context();
    if (!force && out == null) {
      // A read, not a claim: checking must not fence a trainer that is running.
      try (WeightsPublisher reader = base.publisher()) {
        Optional<RewardHeads> published = reader.latest(base.config.modelName(), Duration.ofSeconds(30));
        if (published.isPresent()) {
          System.out.println("weights " + published.get().getModelName() + " v" + published.get().getVersion()
              + " already published; nothing to bootstrap (--force trains anyway)");
          return 0;
        }
      }
    }
    SampleDataset all = sampleDir == null ? SampleData.load() : SampleData.load(sampleDir);
    SampleDataset data = conversations == null ? all : SampleSubset.firstConversations(all, conversations);
    List<TurnEmbedding> embeddings;
    BackboneInfo backbone;
    long start = System.nanoTime();
    try (RewardScorer scorer = RewardScorers.create(Backbones.config(backboneName));
        BackboneCallGuard guard = BackboneCallGuard.exitingWhenHung(scorer, base.config.backboneCallDeadline())) {
      TurnEmbedder embedder = new TurnEmbedder(scorer, batch);
      backbone = embedder.backbone();
      embeddings = embedder.embedTurns(SampleTurns.assistantTurns(data));
    }
    System.out.printf("embedded %d assistant turns with %s (%d-d) in %.1f s%n", embeddings.size(), backbone.id(),
        backbone.embeddingDim(), (System.nanoTime() - start) / 1e9);
    TrainerContext ctx = new TrainerContext(base.config.with("backbone.id", backbone.id())
        .with("backbone.dim", Integer.toString(backbone.embeddingDim())).with("backbone.pooling", backbone.pooling()));
    TrainingSet set = ctx.newTrainingSet();
    Map<RejectionCause, Integer> rejected = new EnumMap<>(RejectionCause.class);
    FeedbackJoiner joiner = ctx.joiner(set, (source, cause, message) -> rejected.merge(cause, 1, Integer::sum));
    List<SpecificRecord> records = new ArrayList<>(embeddings);
    records.addAll(data.ratings());
    records.addAll(data.preferencePairs());
    records.addAll(data.rankings());
    if (out != null) {
      return writeHeads(ctx, set, records, joiner, rejected, backbone);
    }
    try (FeedbackLog log = ctx.openLog(joiner)) {
      for (SpecificRecord r : records) {
        log.append(r);
        joiner.onRecord(r, SourceRecord.local("sample-data"), System.currentTimeMillis());
      }
      log.sync();
    }
    System.out.println("training set " + set.summary() + (rejected.isEmpty() ? "" : ", rejected " + rejected));
    try (KafkaWeightsStore store = ctx.store()) {
      CycleOutcome outcome = ctx.cycle(store).run(set, "bootstrap from sample data");
      System.out.println((outcome.decision().promote() ? "published v" + outcome.publishedVersion() : "rejected")
          + " " + outcome.decision().reasons());
      outcome.evaluation().asMetrics().forEach((k, v) -> System.out.printf("  %-50s %.4f%n", k, v));
      System.out.println("report: " + outcome.report());
      return outcome.decision().promote() ? 0 : 3;
    }
  }

  /** The same training as the published bootstrap (one cycle's stages), written to a file instead of published. */
  private int writeHeads(TrainerContext ctx, TrainingSet set, List<SpecificRecord> records, FeedbackJoiner joiner,
      Map<RejectionCause, Integer> rejected, BackboneInfo backbone) throws IOException {
    for (SpecificRecord r : records) {
      joiner.onRecord(r, SourceRecord.local("sample-data"), System.currentTimeMillis());
    }
    System.out.println("training set " + set.summary() + (rejected.isEmpty() ? "" : ", rejected " + rejected));
    TrainedHeads trained = new HeadsTrainer(ctx.config.training()).train(set.ridgeDataset(), set.trainingPairs(),
        set.referenceSet(5000));
    HeadsRecords.Identity id = new HeadsRecords.Identity(ctx.config.modelName(), 1, null, "candidate",
        backbone.id(), backbone.pooling(), ctx.config.scaleMin(), ctx.config.scaleMax());
    Map<String, String> summary = new LinkedHashMap<>(set.summary());
    summary.put("trigger", "bootstrap from sample data");
    RewardHeads draft = HeadsRecords.toRecord(trained, id, summary, Map.of());
    Evaluation heldOut = HeldOutEvaluator.evaluate(HeadsRecords.weights(draft), set.heldOut());
    Files.createDirectories(out.toAbsolutePath().getParent());
    VersionHistory.write(HeadsRecords.toRecord(trained, id, summary, heldOut.asMetrics()), out);
    heldOut.asMetrics().forEach((k, v) -> System.out.printf("  %-50s %.4f%n", k, v));
    System.out.println("wrote " + out);
    return 0;
  }
}
