package io.queststream.trainer.cli;

import io.queststream.model.RewardScorers;
import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.embedding.Backbones;
import io.queststream.trainer.embedding.CachedEmbedder;
import io.queststream.trainer.feedback.FeedbackJoiner;
import io.queststream.trainer.feedback.FeedbackLog;
import io.queststream.trainer.feedback.RejectionCause;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.imports.feedback.FeedbackTopics;
import io.queststream.trainer.imports.feedback.ImportedFeedback;
import io.queststream.trainer.imports.PublicDataImport;
import io.queststream.trainer.imports.PublicDataset;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Reads public rating and preference data sets into the trainer's feedback. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Read RMB (pairwise and Best-of-N, both goals) and the scene part of QUEST-Bench (judge ratings on "
        + "six attributes, 1-5) strictly, report every malformed or unusable item by cause, write a manifest "
        + "(sources, licences, SHA-256 of every file used, split, counts), and with --into embed the turns (cached) "
        + "and hand the ratings and preferences to the trainer: into the local feedback log in data.dir (train with "
        + "`trainer train`) or onto the feedback topics.",
        "Held-out split: the trainer's own (split.seed, heldout.fraction) by RMB conversation and QUEST-Bench scene."})
final class ImportCommand implements Callable<Integer> {

  enum Into { NONE, LOG, TOPICS }

  @ParentCommand
  TrainerCommand cli;

  @Mixin
  PublicDataOptions data;

  @Mixin
  EmbeddingOptions embedding;

  @Option(names = "--into", paramLabel = "none|log|topics", defaultValue = "none",
      description = "Where the feedback goes: none (read and report only), log (data.dir/feedback) or topics "
          + "(turn-embeddings, turn-ratings, turn-preferences). Default: ${DEFAULT-VALUE}")
  String into;

  @Option(names = "--manifest", paramLabel = "FILE", description = "Default: data.dir/imports/manifest.json")
  Path manifest;

  @Option(names = "--fit", description = "Tokenize every turn for --backbone (no model run) and count, per data set, "
      + "what fitting its window does: history dropped, card shortened, reply read in windows, reply cut")
  boolean fit;

  @Override
  public Integer call() throws Exception {
    TrainerContext base = cli.context();
    Into target = Into.valueOf(into.trim().toUpperCase(Locale.ROOT));
    PublicDataImport.Options options = data.options();
    PublicDataset dataset = PublicDataSteps.read(options, System.out);
    Path m = PublicDataSteps.writeManifest(manifest != null ? manifest
        : base.config.dataDir().resolve("imports").resolve("manifest.json"), dataset, options, base.config);
    System.out.println("manifest: " + m);
    String name = embedding.backbone != null ? embedding.backbone : ModelConfig.MINILM;
    ModelConfig mc = Backbones.config(name);
    if (fit) {
      try (RewardScorer scorer = RewardScorers.create(mc)) {
        PublicDataSteps.fitCounts(scorer, dataset).forEach((set, counts) ->
            System.out.println("fit to " + scorer.backbone().id() + ", " + set + ": " + counts));
      }
    }
    if (target == Into.NONE) {
      return 0;
    }
    BackboneInfo backbone;
    CachedEmbedder.Result embedded;
    try (RewardScorer scorer = RewardScorers.create(mc);
        BackboneCallGuard guard = BackboneCallGuard.exitingWhenHung(scorer, base.config.backboneCallDeadline())) {
      backbone = scorer.backbone();
      embedded = PublicDataSteps.embed(scorer, mc.contextBudget(), embedding, base.config, dataset, System.out);
    }
    List<SpecificRecord> records = ImportedFeedback.records(dataset, embedded.embedded(), backbone,
        dataset.issues());
    if (target == Into.TOPICS) {
      Map<String, Integer> sent = FeedbackTopics.send(base.config, records);
      System.out.println("sent " + sent);
    } else {
      TrainerContext ctx = new TrainerContext(base.config.with("backbone.id", backbone.id())
          .with("backbone.dim", Integer.toString(backbone.embeddingDim())).with("backbone.pooling",
              backbone.pooling()));
      TrainingSet set = ctx.newTrainingSet();
      Map<RejectionCause, Integer> rejected = new EnumMap<>(RejectionCause.class);
      FeedbackJoiner joiner = ctx.joiner(set, (source, cause, message) -> rejected.merge(cause, 1, Integer::sum));
      try (FeedbackLog log = ctx.openLog(joiner)) {
        for (SpecificRecord r : records) {
          log.append(r);
          joiner.onRecord(r, SourceRecord.local("import"), System.currentTimeMillis());
        }
        log.sync();
      }
      System.out.println("feedback log " + ctx.config.dataDir().resolve("feedback") + ": training set "
          + set.summary() + (rejected.isEmpty() ? "" : ", rejected " + rejected));
      if (!ModelConfig.MINILM.equals(name)) {
        System.out.printf("train with backbone.id=%s backbone.dim=%d backbone.pooling=%s%n", backbone.id(),
            backbone.embeddingDim(), backbone.pooling());
      }
    }
    PublicDataSteps.printIssues(dataset.issues(), System.out);
    return 0;
  }
}
