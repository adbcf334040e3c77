package io.queststream.bench.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.bench.machine.BenchHeader;
import io.queststream.bench.machine.Machine;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.backbone.ExtraEncoder;
import io.queststream.model.config.BatcherConfig;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.RewardHeads;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The reward model on its own: for each backbone, the raw model over a grid of thread counts and batch sizes (best
 * configuration, FLOP/s against the machine's GEMM peak, plain ONNX Runtime at that configuration), then the scorer
 * called one request at a time versus many concurrent callers merged by the dynamic batcher.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Raw backbone throughput per thread count and batch size for each backbone (fp32 and int8 "
        + "MiniLM by default) against the measured GEMM peak and plain ONNX Runtime, then the dynamic batcher's gain "
        + "under concurrent callers.")
public final class ModelBenchCommand implements Callable<Integer> {

  @Option(names = "--backbones", split = ",", defaultValue = "minilm,minilm-q",
      description = "backbones to measure, in order: bundled, or extra encoders on a -Pextra-backbones build "
          + "(default: ${DEFAULT-VALUE})")
  List<String> backbones;

  @Option(names = "--turns", defaultValue = "64",
      description = "sample-data assistant turns per pass (default: ${DEFAULT-VALUE})")
  int turns;

  @Option(names = "--threads", split = ",", description = "intra-op thread counts to try (default: 1, half and all "
      + "of the available processors)")
  List<Integer> threads;

  @Option(names = "--spin-wait", arity = "1", split = ",", defaultValue = "false,true",
      description = "ONNX Runtime's idle intra-op workers sleeping (false) or spinning (true), tried for every thread "
          + "count above 1 (default: ${DEFAULT-VALUE})")
  List<Boolean> spinWaits;

  @Option(names = "--batch-sizes", split = ",", defaultValue = "1,2,4,8,16",
      description = "raw batch sizes to try (default: ${DEFAULT-VALUE})")
  List<Integer> batchSizes;

  @Option(names = "--reps", defaultValue = "3", description = "measured passes per configuration, after a warm-up "
      + "pass (default: ${DEFAULT-VALUE})")
  int reps;

  @Option(names = "--gemm-size", defaultValue = "2048", description = "n of the n x n x n sgemm that measures the "
      + "GEMM peak (default: ${DEFAULT-VALUE})")
  int gemmSize;

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

  /** Thread counts 1, half and all of the available processors. */
  public static List<Integer> defaultThreads() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new TreeSet<>(List.of(1, Math.max(1, cores / 2), cores)).stream().toList();
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    BenchHeader.print(out);
    double peak = BenchHeader.gemmPeak(gemmSize, 10, out);
    List<ScoringRequest> requests = BenchTurns.requests(turns);
    out.printf("turns       the first %d assistant turns of the sample data in time order, with card and history%n",
        requests.size());
    List<Integer> threadCounts = threads != null ? threads : defaultThreads();
    RawSearch.Result first = null;
    ModelConfig firstConfig = null;
    for (String name : backbones) {
      ModelConfig config = configOf(name);
      out.println();
      RawSearch.Result raw = RawSearch.run(config, requests, threadCounts, List.of(1), spinWaits, batchSizes, reps,
          gatingHidden, peak, !name.endsWith("-q"), out);
      PlainOrtComparison.run(config, raw, reps, gatingHidden, out);
      if (first == null) {
        first = raw;
        firstConfig = config;
      } else {
        BackboneComparison.run(firstConfig, first, config, raw, reps, gatingHidden, out);
      }
    }
    MeterRegistry registry = new SimpleMeterRegistry();
    BatcherConfig batcher = firstConfig.batcher().withMaxBatchSize(maxBatch).withTokenBudget(tokenBudget)
        .withMaxWait(Duration.ofMillis(maxWaitMs));
    throughScorer(firstConfig.withBatcher(batcher).withMeterRegistry(registry)
        .withThreads(first.best().engineThreads()), registry, requests);
    out.printf("load        %s at end%n", Machine.loadAverage());
    return 0;
  }

  /** A bundled backbone, or an extra encoder (on the classpath with the extra-backbones profile). */
  private static ModelConfig configOf(String name) {
    return BundledBackbone.named(name).map(ModelConfig::bundled)
        .or(() -> ExtraEncoder.named(name).map(e -> ModelConfig.defaults().withModel(e.configName())))
        .orElseThrow(() -> new IllegalArgumentException("unknown backbone " + name + "; bundled: "
            + BundledBackbone.names() + ", extra (-Pextra-backbones): "
            + Arrays.stream(ExtraEncoder.values()).map(ExtraEncoder::configName).toList()));
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
      System.out.printf("scorer %s (%d intra-op threads; batcher: max batch %d, token budget %d, max wait %d ms)%n",
          scorer.backbone().id(), config.threads().intraOp(), maxBatch, tokenBudget, maxWaitMs);
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
