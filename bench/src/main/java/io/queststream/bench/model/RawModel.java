package io.queststream.bench.model;

import ai.djl.ndarray.NDManager;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.backbone.DjlBackbone;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.backbone.PooledBatch;
import io.queststream.model.config.BatcherConfig;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.DeviceHeads;
import io.queststream.model.heads.HeadsWeights;
import java.util.List;

/**
 * The model without the pipeline: the backbone and the heads called directly on turns tokenized beforehand, one
 * thread, batches padded to their sequence bucket as the scorer pads them. The best that streaming can approach.
 */
public final class RawModel implements AutoCloseable {

  /** One pass over the turns: wall time of backbone and heads, padded and real tokens, transformer operations. */
  public record Pass(double seconds, double backboneSeconds, long paddedTokens, long realTokens, double flops) {}

  private final DjlBackbone backbone;
  private final NDManager headsMemory;
  private final DeviceHeads heads;
  private final BatcherConfig buckets;

  public RawModel(ModelConfig config, EngineThreads threads, int gatingHidden) throws Exception {
    ModelConfig withThreads = config.withThreads(threads);
    this.backbone = DjlBackbone.load(withThreads, ModelFiles.resolve(withThreads));
    this.headsMemory = backbone.newBatchManager();
    this.heads = new DeviceHeads(HeadsWeights.decode(BenchTurns.randomHeads(backbone.info().id(),
        backbone.info().pooling(), backbone.info().embeddingDim(), gatingHidden), -1), headsMemory);
    this.buckets = config.batcher();
  }

  public String engines() {
    return backbone.engines();
  }

  /** Runs the turns in consecutive batches of {@code batchSize}, in the order given. */
  public Pass run(List<PreparedTurn> turns, int batchSize, TransformerShape shape) {
    long backboneNanos = 0;
    long totalNanos = 0;
    long padded = 0;
    long real = 0;
    double flops = 0;
    for (int from = 0; from < turns.size(); from += batchSize) {
      List<PreparedTurn> chunk = turns.subList(from, Math.min(from + batchSize, turns.size()));
      int length = buckets.bucketFor(chunk.stream().mapToInt(PreparedTurn::longestWindow).max().orElse(1));
      try (NDManager batch = backbone.newBatchManager()) {
        long start = System.nanoTime();
        PooledBatch pooled = backbone.forward(chunk, length, batch);
        pooled.prompt().toFloatArray();
        pooled.response().toFloatArray();
        long mid = System.nanoTime();
        heads.forward(pooled.prompt(), pooled.response());
        long end = System.nanoTime();
        backboneNanos += mid - start;
        totalNanos += end - start;
      }
      padded += (long) length * DjlBackbone.windows(chunk);
      for (PreparedTurn t : chunk) {
        real += t.tokens();
        for (TokenWindow w : t.windows()) {
          flops += shape.flops(w.length());
        }
      }
    }
    return new Pass(totalNanos / 1e9, backboneNanos / 1e9, padded, real, flops);
  }

  @Override
  public void close() {
    heads.close();
    headsMemory.close();
    backbone.close();
  }
}
