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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model without the pipeline: the backbone and the heads called directly on turns tokenized beforehand, batches
 * padded to their sequence bucket as the scorer pads them, on one thread or on several workers that take the next
 * batch as they finish one (as the scorer's batcher workers do), each with its own heads. The best that streaming can
 * approach.
 */
public final class RawModel implements AutoCloseable {

  /** One pass over the turns: wall time of backbone and heads, padded and real tokens, transformer operations. */
  public record Pass(double seconds, double backboneSeconds, long paddedTokens, long realTokens, double flops) {}

  /** One worker's heads, on memory of its own. */
  private record Heads(NDManager memory, DeviceHeads heads) {}

  /** Consecutive turns run as one batch, padded to {@code length}. */
  private record Chunk(List<PreparedTurn> turns, int length) {}

  private final DjlBackbone backbone;
  private final List<Heads> workers = new ArrayList<>();
  private final ExecutorService pool;
  private final BatcherConfig buckets;

  public RawModel(ModelConfig config, EngineThreads threads, int gatingHidden) throws Exception {
    this(config, threads, 1, gatingHidden);
  }

  public RawModel(ModelConfig config, EngineThreads threads, int workerCount, int gatingHidden) throws Exception {
    ModelConfig withThreads = config.withThreads(threads);
    this.backbone = DjlBackbone.load(withThreads, ModelFiles.resolve(withThreads));
    HeadsWeights weights = HeadsWeights.decode(BenchTurns.randomHeads(backbone.info().id(),
        backbone.info().pooling(), backbone.info().embeddingDim(), gatingHidden), -1);
    for (int i = 0; i < workerCount; i++) {
      NDManager memory = backbone.newBatchManager();
      workers.add(new Heads(memory, new DeviceHeads(weights, memory)));
    }
    this.pool = workerCount == 1 ? null
        : Executors.newFixedThreadPool(workerCount, task -> new Thread(task, "raw-worker"));
    this.buckets = config.batcher();
  }

  public String engines() {
    return backbone.engines();
  }

  /**
   * Runs the turns in consecutive batches of {@code batchSize}, in the order given; with several workers each takes
   * the next batch when it finishes one. Wall time is the pass's; backbone time is its share of the workers' time.
   */
  public Pass run(List<PreparedTurn> turns, int batchSize, TransformerShape shape) throws Exception {
    List<Chunk> chunks = new ArrayList<>();
    for (int from = 0; from < turns.size(); from += batchSize) {
      List<PreparedTurn> chunk = turns.subList(from, Math.min(from + batchSize, turns.size()));
      chunks.add(new Chunk(chunk, buckets.bucketFor(chunk.stream().mapToInt(PreparedTurn::longestWindow).max()
          .orElse(1))));
    }
    AtomicInteger next = new AtomicInteger();
    AtomicLong backboneNanos = new AtomicLong();
    AtomicLong busyNanos = new AtomicLong();
    long start = System.nanoTime();
    if (pool == null) {
      runChunks(workers.get(0), chunks, next, backboneNanos, busyNanos);
    } else {
      List<Future<?>> running = new ArrayList<>();
      for (Heads h : workers) {
        running.add(pool.submit(() -> runChunks(h, chunks, next, backboneNanos, busyNanos)));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    long padded = 0;
    long real = 0;
    double flops = 0;
    for (Chunk chunk : chunks) {
      padded += (long) chunk.length() * DjlBackbone.windows(chunk.turns());
      for (PreparedTurn t : chunk.turns()) {
        real += t.tokens();
        for (TokenWindow w : t.windows()) {
          flops += shape.flops(w.length());
        }
      }
    }
    double seconds = pool == null ? busyNanos.get() / 1e9 : wall;
    return new Pass(seconds, seconds * backboneNanos.get() / busyNanos.get(), padded, real, flops);
  }

  private void runChunks(Heads worker, List<Chunk> chunks, AtomicInteger next, AtomicLong backboneNanos,
      AtomicLong busyNanos) {
    for (int i = next.getAndIncrement(); i < chunks.size(); i = next.getAndIncrement()) {
      Chunk chunk = chunks.get(i);
      try (NDManager batch = backbone.newBatchManager()) {
        long start = System.nanoTime();
        PooledBatch pooled = backbone.forward(chunk.turns(), chunk.length(), batch);
        pooled.prompt().toFloatArray();
        pooled.response().toFloatArray();
        long mid = System.nanoTime();
        worker.heads().forward(pooled.prompt(), pooled.response());
        long end = System.nanoTime();
        backboneNanos.addAndGet(mid - start);
        busyNanos.addAndGet(end - start);
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
    for (Heads h : workers) {
      h.heads().close();
      h.memory().close();
    }
    backbone.close();
  }
}
