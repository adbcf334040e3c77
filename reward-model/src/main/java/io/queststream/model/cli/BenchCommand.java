package io.queststream.model.cli;

import ai.djl.ndarray.NDManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.backbone.DjlBackbone;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.backbone.PooledBatch;
import io.queststream.model.backbone.TurnWindows;
import io.queststream.model.config.BatcherConfig;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.DeviceHeads;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.model.text.TurnTokenizer;
import io.queststream.schemas.RewardHeads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Throughput of the reward model on one set of turns: the raw backbone at fixed batch sizes, then the scorer called
 * one request at a time versus many concurrent callers merged by the dynamic batcher.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure backbone throughput per batch size and the dynamic batcher's gain under concurrency.")
final class BenchCommand implements Callable<Integer> {

  @Mixin
  ModelOptions options;

  @Option(names = "--turns", defaultValue = "128",
      description = "turns scored per measurement (default: ${DEFAULT-VALUE})")
  int turns;

  @Option(names = "--batch-sizes", split = ",", defaultValue = "1,2,4,8,16,32,64",
      description = "raw backbone batch sizes (default: ${DEFAULT-VALUE})")
  List<Integer> batchSizes;

  @Option(names = "--callers", defaultValue = "16", description = "concurrent callers (default: ${DEFAULT-VALUE})")
  int callers;

  @Option(names = "--max-batch", defaultValue = "32",
      description = "batcher max batch size (default: ${DEFAULT-VALUE})")
  int maxBatch;

  @Option(names = "--token-budget", defaultValue = "8192",
      description = "batcher padded-token budget per batch (default: ${DEFAULT-VALUE})")
  int tokenBudget;

  @Option(names = "--max-wait-ms", defaultValue = "5", description = "batcher max wait (default: ${DEFAULT-VALUE})")
  long maxWaitMs;

  @Option(names = "--gating-hidden", defaultValue = "1024",
      description = "hidden width of the benchmark's random gating MLP (default: ${DEFAULT-VALUE})")
  int gatingHidden;

  @Override
  public Integer call() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    BatcherConfig batcher = BatcherConfig.defaults().withMaxBatchSize(maxBatch).withTokenBudget(tokenBudget)
        .withMaxWait(Duration.ofMillis(maxWaitMs));
    ModelConfig config = options.toConfig().withBatcher(batcher).withMeterRegistry(registry);
    List<ScoringRequest> requests = BenchTurns.requests(turns);
    System.out.printf("machine: %d cores visible to the JVM, %s %s, load average at start %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
        BenchTurns.loadAverage());
    System.out.printf("turns: %d (%s)%n", requests.size(), BenchTurns.source());

    rawBackbone(config, requests);
    throughScorer(config, registry, requests);
    System.out.printf("load average at end %s%n", BenchTurns.loadAverage());
    return 0;
  }

  private void rawBackbone(ModelConfig config, List<ScoringRequest> requests) throws Exception {
    ModelFiles files = ModelFiles.resolve(config);
    try (TurnTokenizer tokenizer = TurnTokenizer.load(files.tokenizerJson(), files.tokenizerConfig(),
        config.contextBudget(), config.maxSequenceTokens());
        DjlBackbone backbone = DjlBackbone.load(config, files);
        NDManager headsMemory = backbone.newBatchManager()) {
      TurnWindows windows = new TurnWindows(backbone.info().id(), config.maxSequenceTokens(),
          config.text().windowOverlap(), config.text().maxWindows(), config.pooling());
      List<PreparedTurn> tokenized = new ArrayList<>();
      for (ScoringRequest r : requests) {
        tokenized.add(windows.plan(tokenizer.tokenize(r)));
      }
      long realTokens = tokenized.stream().mapToLong(PreparedTurn::tokens).sum();
      System.out.printf("backbone: %s; mean turn %.1f tokens%n", backbone.info(),
          (double) realTokens / tokenized.size());
      DeviceHeads heads = new DeviceHeads(HeadsWeights.decode(randomHeads(backbone.info().id(),
          backbone.info().pooling(), backbone.info().embeddingDim()), -1), headsMemory);
      System.out.println();
      System.out.println("raw backbone (one thread, turns in arrival order, batch padded to its bucket)");
      System.out.println("batch | turns/s | tokens/s | padding | heads share");
      System.out.println("------|---------|----------|---------|------------");
      BatcherConfig buckets = config.batcher();
      for (int size : batchSizes) {
        runChunks(backbone, heads, tokenized.subList(0, Math.min(size, tokenized.size())), size, buckets);
        long padded = 0;
        long backboneNanos = 0;
        long headsNanos = 0;
        for (int from = 0; from < tokenized.size(); from += size) {
          List<PreparedTurn> chunk = tokenized.subList(from, Math.min(from + size, tokenized.size()));
          long[] t = runChunks(backbone, heads, chunk, size, buckets);
          backboneNanos += t[0];
          headsNanos += t[1];
          padded += t[2];
        }
        double seconds = (backboneNanos + headsNanos) / 1e9;
        System.out.printf("%5d | %7.1f | %8.0f | %6.1f%% | %9.2f%%%n", size, tokenized.size() / seconds,
            realTokens / seconds, 100.0 * (1 - (double) realTokens / padded),
            100.0 * headsNanos / (backboneNanos + headsNanos));
      }
      heads.close();
    }
  }

  /** Runs one chunk; returns {backbone nanos, heads nanos, padded tokens}. */
  private static long[] runChunks(DjlBackbone backbone, DeviceHeads heads, List<PreparedTurn> chunk, int size,
      BatcherConfig buckets) {
    int longest = chunk.stream().mapToInt(PreparedTurn::longestWindow).max().orElse(1);
    int padded = buckets.bucketFor(longest);
    try (NDManager batch = backbone.newBatchManager()) {
      long start = System.nanoTime();
      PooledBatch pooled = backbone.forward(chunk, padded, batch);
      pooled.prompt().toFloatArray();
      pooled.response().toFloatArray();
      long mid = System.nanoTime();
      heads.forward(pooled.prompt(), pooled.response());
      long end = System.nanoTime();
      return new long[] {mid - start, end - mid, (long) padded * DjlBackbone.windows(chunk)};
    }
  }

  private void throughScorer(ModelConfig config, MeterRegistry registry, List<ScoringRequest> requests)
      throws Exception {
    try (RewardScorer scorer = RewardScorers.create(config)) {
      scorer.installWeights(randomHeads(scorer.backbone().id(), scorer.backbone().pooling(),
          scorer.backbone().embeddingDim()));
      scorer.score(requests.subList(0, Math.min(8, requests.size())));

      // The two modes alternate over the same slices of turns, so load from other processes on a shared machine
      // hits both alike; the ratio is reported per slice (median) and over the whole run.
      List<Double> ratios = new ArrayList<>();
      double singleSeconds = 0;
      double concurrentSeconds = 0;
      MeterSnapshot during = MeterSnapshot.ZERO;
      int sliceSize = sliceSize(requests.size());
      for (int from = 0; from < requests.size(); from += sliceSize) {
        List<ScoringRequest> slice = requests.subList(from, Math.min(from + sliceSize, requests.size()));
        long start = System.nanoTime();
        for (ScoringRequest r : slice) {
          scorer.score(List.of(r));
        }
        double single = (System.nanoTime() - start) / 1e9;
        MeterSnapshot before = MeterSnapshot.of(registry);
        start = System.nanoTime();
        concurrently(scorer, slice);
        double concurrent = (System.nanoTime() - start) / 1e9;
        during = during.plus(MeterSnapshot.of(registry).minus(before));
        singleSeconds += single;
        concurrentSeconds += concurrent;
        ratios.add(single / concurrent);
      }
      ratios.sort(Double::compare);
      double single = requests.size() / singleSeconds;
      double concurrent = requests.size() / concurrentSeconds;
      double meanBatch = during.sequences() / during.batches();
      double padding = 1 - during.realTokens() / during.paddedTokens();
      double queueWaitMs = during.queueWaitMs() / during.sequences();
      double backboneMs = during.backboneMs();
      double headsMs = during.headsMs();

      System.out.println();
      System.out.printf("scorer (batcher: max batch %d, token budget %d, max wait %d ms)%n", maxBatch, tokenBudget,
          maxWaitMs);
      System.out.printf("one at a time, 1 caller      : %7.1f turns/s%n", single);
      System.out.printf("dynamic batching, %2d callers : %7.1f turns/s (mean batch %.1f, padding %.1f%%, "
          + "queue wait %.1f ms, heads %.2f%% of model time)%n", callers, concurrent, meanBatch, 100 * padding,
          queueWaitMs, 100 * headsMs / (backboneMs + headsMs));
      System.out.printf("batched / one at a time      : %7.2fx overall, per slice of %d turns: median %.2fx "
          + "(min %.2fx, max %.2fx)%n", concurrent / single, sliceSize,
          ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1));
    }
  }

  /** Cumulative batcher and scorer meters, so one phase's figures are the difference of two snapshots. */
  private record MeterSnapshot(double batches, double sequences, double realTokens, double paddedTokens,
      double queueWaitMs, double backboneMs, double headsMs) {

    static final MeterSnapshot ZERO = new MeterSnapshot(0, 0, 0, 0, 0, 0, 0);

    static MeterSnapshot of(MeterRegistry r) {
      return new MeterSnapshot(
          r.get("queststream.batcher.batch.size").summary().count(),
          r.get("queststream.batcher.batch.size").summary().totalAmount(),
          r.get("queststream.batcher.batch.tokens").summary().totalAmount(),
          r.get("queststream.batcher.batch.padded.tokens").summary().totalAmount(),
          r.get("queststream.batcher.queue.wait").timer().totalTime(TimeUnit.MILLISECONDS),
          r.get("queststream.scorer.backbone.time").timer().totalTime(TimeUnit.MILLISECONDS),
          r.get("queststream.scorer.heads.time").timer().totalTime(TimeUnit.MILLISECONDS));
    }

    MeterSnapshot minus(MeterSnapshot o) {
      return new MeterSnapshot(batches - o.batches, sequences - o.sequences, realTokens - o.realTokens,
          paddedTokens - o.paddedTokens, queueWaitMs - o.queueWaitMs, backboneMs - o.backboneMs, headsMs - o.headsMs);
    }

    MeterSnapshot plus(MeterSnapshot o) {
      return new MeterSnapshot(batches + o.batches, sequences + o.sequences, realTokens + o.realTokens,
          paddedTokens + o.paddedTokens, queueWaitMs + o.queueWaitMs, backboneMs + o.backboneMs, headsMs + o.headsMs);
    }
  }

  /** Turns per alternating slice: enough for every caller to have a turn, at least four slices when possible. */
  private int sliceSize(int turns) {
    return Math.max(callers, turns / 4);
  }

  private void concurrently(RewardScorer scorer, List<ScoringRequest> requests) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        done.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
            scorer.score(List.of(requests.get(i)));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Heads with the design's shapes (6 attributes, gating 3 x hidden then K) and seeded random values. */
  private RewardHeads randomHeads(String backboneId, String pooling, int dim) {
    return BenchTurns.randomHeads(backboneId, pooling, dim, gatingHidden);
  }
}
