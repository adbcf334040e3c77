package io.queststream.trainer.cli;

import io.queststream.model.api.RewardScorer;
import io.queststream.trainer.config.TrainerConfig;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.embedding.CachedEmbedder;
import io.queststream.trainer.embedding.EmbeddingCache;
import io.queststream.trainer.embedding.FailureCauses;
import io.queststream.trainer.embedding.FitCounts;
import io.queststream.trainer.imports.ImportIssues;
import io.queststream.trainer.imports.ImportManifest;
import io.queststream.trainer.imports.PublicDataImport;
import io.queststream.trainer.imports.PublicDataset;
import io.queststream.trainer.imports.PublicTurn;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The steps import, evaluate and recipe share: read and report, write the manifest, embed through the cache. */
final class PublicDataSteps {

  private PublicDataSteps() {}

  static PublicDataset read(PublicDataImport.Options options, PrintStream out) throws IOException {
    long start = System.nanoTime();
    PublicDataset data = PublicDataImport.read(options);
    out.printf("read %s in %.1f s%n", data.counts(), (System.nanoTime() - start) / 1e9);
    printIssues(data.issues(), out);
    return data;
  }

  static void printIssues(ImportIssues issues, PrintStream out) {
    issues.malformed().forEach((cause, t) -> out.printf("  malformed  %6d  %s (first: %s)%n", t.count(), cause,
        t.firstSeen()));
    issues.unusable().forEach((cause, t) -> out.printf("  unusable   %6d  %s (first: %s)%n", t.count(), cause,
        t.firstSeen()));
  }

  static ImportManifest.Split split(TrainerConfig config) {
    return new ImportManifest.Split(config.splitSeed(), config.heldOutFraction(),
        TrainingSet.heldOutSplit(config.splitSeed(), config.heldOutFraction()));
  }

  static Path writeManifest(Path file, PublicDataset data, PublicDataImport.Options options, TrainerConfig config)
      throws IOException {
    ImportManifest.write(file, ImportManifest.of(data, options, split(config)));
    return file;
  }

  /** {@link FitCounts} per data set: RMB turns carry no card, QUEST-Bench turns a scene card. */
  static Map<String, FitCounts> fitCounts(RewardScorer scorer, PublicDataset data) {
    Map<String, FitCounts> bySet = new TreeMap<>();
    for (PublicTurn t : data.turns()) {
      bySet.computeIfAbsent(t.characterId() == null ? "RMB" : "QUEST-Bench scene", k -> new FitCounts())
          .add(scorer::prepare, t.request());
    }
    return bySet;
  }

  static CachedEmbedder.Result embed(RewardScorer scorer, int contextBudget, EmbeddingOptions o, TrainerConfig config,
      PublicDataset data, PrintStream out) throws IOException {
    try (EmbeddingCache cache = EmbeddingCache.open(o.cacheDir(config), scorer.backbone(), contextBudget)) {
      CachedEmbedder.Result r = new CachedEmbedder(scorer, cache, o.batch, out)
          .embed(data.turns().stream().map(PublicTurn::request).toList());
      Map<String, Integer> causes = new TreeMap<>();
      r.failures().values().forEach(f -> causes.merge(FailureCauses.of(f), 1, Integer::sum));
      out.printf("embedded %d of %d turns with %s (%d newly, %.1f s); not embedded: %d %s%n", r.embedded().size(),
          data.turns().size(), scorer.backbone().id(), r.computed(), r.seconds(), r.failures().size(), causes);
      return r;
    }
  }
}
