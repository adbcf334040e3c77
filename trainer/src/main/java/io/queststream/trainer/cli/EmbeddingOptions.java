package io.queststream.trainer.cli;

import io.queststream.trainer.config.TrainerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which backbone embeds public data, and where its embeddings are cached (picocli mixin). */
final class EmbeddingOptions {

  @Option(names = "--backbone", paramLabel = "NAME", description = "minilm or minilm-q (bundled, fp32 and int8), "
      + "or with a build made with -Pextra-backbones: bge-small-en-v15, bge-small-en-v15-q, e5-small-v2, e5-small-v2-q")
  String backbone;

  @Option(names = "--cache", paramLabel = "DIR", description = "Embedding cache (default: data.dir/embedding-cache)")
  Path cache;

  @Option(names = "--batch", defaultValue = "32", description = "Turns per embedding call (default ${DEFAULT-VALUE})")
  int batch;

  Path cacheDir(TrainerConfig config) {
    return cache != null ? cache : config.dataDir().resolve("embedding-cache");
  }
}
