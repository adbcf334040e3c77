package io.queststream.model;

import io.queststream.model.api.RewardScorer;
import io.queststream.model.backbone.DjlBackbone;
import io.queststream.model.backbone.ExtraEncoder;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.scoring.DefaultRewardScorer;
import io.queststream.model.text.TurnTokenizer;
import java.io.IOException;

/** Builds reward scorers. One scorer per JVM and backbone: it owns the device and the batcher every thread shares. */
public final class RewardScorers {

  private RewardScorers() {}

  /**
   * Loads the backbone and tokenizer named by the config (nothing is downloaded), starts the batcher and waits for
   * its warm-up. The scorer has no weights yet: install them before calling {@code score} ({@code embed} works
   * without).
   *
   * @throws IOException when model files are missing or do not load
   */
  public static RewardScorer create(ModelConfig config) throws IOException {
    ModelFiles files = ModelFiles.resolve(config);
    String textPrefix = ExtraEncoder.named(config.model()).map(ExtraEncoder::textPrefix).orElse("");
    TurnTokenizer tokenizer = TurnTokenizer.load(files.tokenizerJson(), files.tokenizerConfig(),
        config.contextBudget(), config.maxSequenceTokens(), textPrefix);
    DjlBackbone backbone;
    try {
      backbone = DjlBackbone.load(config, files);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    DefaultRewardScorer scorer = new DefaultRewardScorer(config, tokenizer, backbone);
    try {
      return scorer.awaitReady();
    } catch (InterruptedException e) {
      scorer.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while warming up the backbone", e);
    }
  }
}
