package io.queststream.bench.streaming;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.bench.Spread;
import io.queststream.bench.machine.BenchHeader;
import io.queststream.bench.machine.CpuSplit;
import io.queststream.bench.machine.Machine;
import io.queststream.bench.machine.ThreadCpu;
import io.queststream.bench.model.BackboneComparison;
import io.queststream.bench.model.BenchTurns;
import io.queststream.bench.model.ModelBenchCommand;
import io.queststream.bench.model.PlainOrtComparison;
import io.queststream.bench.model.RawModel;
import io.queststream.bench.model.RawSearch;
import io.queststream.bench.model.TransformerShape;
import io.queststream.config.ConfigOptions;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.ModelSettings;
import io.queststream.model.text.TurnTokenizer;
import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.ConfigLoader;
import io.queststream.testkit.KafkaBroker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Streaming against the best the model can do on the same turns, in one run: the GEMM peak, the raw model's best
 * configuration (thread count x batch size, fp32 and int8), plain ONNX Runtime at that configuration, then the
 * scoring app on a real broker with exactly-once configured the same way, warm-up passes and repeated measured
 * passes, and a paced pass for latency.
 */
@Command(name = "streaming", mixinStandardHelpOptions = true,
    description = {
        "Streaming throughput against the best raw model configuration on the same sample-data turns, then "
            + "latency at a fraction of the streaming peak.",
        "Without --bootstrap-servers an in-JVM KRaft broker is started; without --schema-registry-url the in-JVM "
            + "registry mock://bench is used. Topics get a fresh prefix, so a shared cluster is left untouched. "
            + "Weights: seeded untrained heads (scores mean nothing; the work per turn is the real one)."})
public final class StreamingBenchCommand implements Callable<Integer> {

  /** Hidden width of the random gating MLP: the design's. */
  private static final int GATING_HIDDEN = 1024;
  private static final int MIN_WARM_UPS = 3;

  @Mixin
  ConfigOptions options;

  @Option(names = "--stream-threads", defaultValue = "2", description = "Stream threads. Default: ${DEFAULT-VALUE}.")
  int streamThreads;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the bench topics, balanced by "
      + "assistant turns. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(names = "--conversations", defaultValue = "20",
      description = "The first N conversations of the sample data per pass. Default: ${DEFAULT-VALUE}.")
  int conversations;

  @Option(names = "--reps", defaultValue = "3", description = "Measured passes (raw and streaming), after the warm-up "
      + "passes. Default: ${DEFAULT-VALUE}.")
  int reps;

  @Option(names = "--warm-up", defaultValue = "15", description = "Most unmeasured streaming passes first (each with "
      + "a raw pass before it, as measured passes have): the broker, clients, streams runtime and templates are far "
      + "more code than the raw model, and the JIT compilers keep compiling it for many passes. At least "
      + MIN_WARM_UPS + " (or this many, if fewer); the warm-up ends early once the JIT compilers took less than "
      + "--warm-up-jit-share of a warm-up's CPU. Default: ${DEFAULT-VALUE}.")
  int warmUps;

  @Option(names = "--warm-up-jit-share", defaultValue = "0.05", description = "The JIT compilers' share of a warm-up's "
      + "CPU (raw and streaming pass together) below which the JVM counts as warm (0: run every --warm-up pass). "
      + "Default: ${DEFAULT-VALUE}.")
  double warmUpJitShare;

  @Option(names = "--threads", split = ",", description = "Intra-op thread counts for the raw search (default: 1, "
      + "half and all of the available processors).")
  List<Integer> threads;

  @Option(names = "--workers", split = ",", defaultValue = "1,2",
      description = "Batch worker counts for the raw search, each with every thread count that fits the available "
          + "processors beside it (workers x threads). Default: ${DEFAULT-VALUE}.")
  List<Integer> workerCounts;

  @Option(names = "--spin-wait", arity = "1", split = ",", defaultValue = "false,true",
      description = "ONNX Runtime's idle intra-op workers sleeping (false) or spinning (true) in the raw search, tried "
          + "for every thread count above 1; streaming runs with the app's model.spin-wait. Default: ${DEFAULT-VALUE}.")
  List<Boolean> spinWaits;

  @Option(names = "--batch-sizes", split = ",", defaultValue = "1,2,4,8,16",
      description = "Batch sizes for the raw search. Default: ${DEFAULT-VALUE}.")
  List<Integer> batchSizes;

  @Option(names = "--no-int8", description = "Skip the search of the int8 backbone's raw configurations.")
  boolean noInt8;

  @Option(names = "--paced-share", defaultValue = "0.5", description = "Pace of the latency pass as a share of the "
      + "streaming peak (0: no paced pass). Default: ${DEFAULT-VALUE}.")
  double pacedShare;

  @Option(names = "--paced-conversations", defaultValue = "60", description = "Conversations of the paced pass: 60 "
      + "give 465 assistant turns, so the p99 is not just the second slowest. Default: ${DEFAULT-VALUE}.")
  int pacedConversations;

  @Option(names = "--paced-warm-up", defaultValue = "3", description = "Most unmeasured paced passes over the paced "
      + "pass's own conversations and at its pace before it: most of them are not among the throughput passes' "
      + "conversations, and their text (other scripts, other cards and templates) takes code paths that the JIT "
      + "compiles, and recompiles, on first sight. Ends early once the JIT compilers took less than "
      + "--warm-up-jit-share of one's CPU. Default: ${DEFAULT-VALUE}.")
  int pacedWarmUps;

  @Option(names = "--latency-csv", description = "Also write the paced pass's turns, one row each (total, waiting, "
      + "model, commit ms, device batch, tokens), to this file.")
  Path latencyCsv;

  @Option(names = "--gemm-size", defaultValue = "2048", description = "n of the n x n x n sgemm that measures the "
      + "GEMM peak. Default: ${DEFAULT-VALUE}.")
  int gemmSize;

  @Option(names = "--shadow", description = "Also measure each pass with a candidate weights version shadowed "
      + "(its heads on the same embeddings, a second record per turn on the shadow topic), next to the pass "
      + "without (after it in odd passes, before it in even ones), and report the shadow cost: 1 - shadowed / plain streaming throughput (docs/shadow.md).")
  boolean shadow;

  @Option(names = "--timeout-s", defaultValue = "900", description = "Give up on a pass after this long. "
      + "Default: ${DEFAULT-VALUE}.")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    BenchHeader.print(out);
    double peak = BenchHeader.gemmPeak(gemmSize, 10, out);
    Map<String, String> given = ConfigLoader.values(options);
    AppConfig base = AppConfig.from(given);
    SampleDataset data = SampleData.load();
    List<ChatTurn> turns = firstConversations(data, conversations);
    ModelConfig fp32 = ModelSettings.toModelConfig(base.model(), new SimpleMeterRegistry());
    List<ScoringRequest> requests;
    ModelFiles files = ModelFiles.resolve(fp32);
    try (TurnTokenizer tokenizer = TurnTokenizer.load(files.tokenizerJson(), files.tokenizerConfig(),
        fp32.contextBudget(), fp32.maxSequenceTokens())) {
      requests = BenchRequests.of(turns, data.cards(), base.history(), tokenizer::textTokens);
    }
    out.printf("turns       %d of the first %d conversations, %d assistant turns, requests built as the topology "
        + "builds them%n", turns.size(), conversations, requests.size());

    out.println();
    List<Integer> threadCounts = threads != null ? threads : ModelBenchCommand.defaultThreads();
    RawSearch.Result raw = RawSearch.run(fp32, requests, threadCounts, workerCounts, spinWaits, batchSizes, reps,
        GATING_HIDDEN, peak, fp32.bundledBackbone().filter(b -> b == BundledBackbone.MINILM_Q).isEmpty(), out);
    PlainOrtComparison.run(fp32, raw, reps, GATING_HIDDEN, out);
    if (!noInt8 && fp32.bundledBackbone().filter(b -> b == BundledBackbone.MINILM).isPresent()) {
      out.println();
      ModelConfig int8 = ModelConfig.bundled(BundledBackbone.MINILM_Q);
      RawSearch.Result quantized = RawSearch.run(int8, requests, threadCounts, workerCounts, spinWaits, batchSizes,
          reps, GATING_HIDDEN, peak, false, out);
      BackboneComparison.run(fp32, raw, int8, quantized, reps, GATING_HIDDEN, out);
    }

    out.println();
    RawSearch.Row best = raw.best();
    KafkaBroker broker = base.kafka().containsKey("bootstrap.servers") ? null : KafkaBroker.start();
    MeterRegistry modelMeters = new SimpleMeterRegistry();
    try {
      AppConfig config = benchConfig(given, broker, best);
      ModelConfig streamingModel = ModelSettings.toModelConfig(config.model(), modelMeters);
      try (RewardScorer scorer = RewardScorers.create(streamingModel)) {
        scorer.installWeights(BenchTurns.randomHeads(scorer.backbone().id(), scorer.backbone().pooling(),
            scorer.backbone().embeddingDim(), GATING_HIDDEN));
        return stream(out, config, streamingModel, scorer, modelMeters, data, turns, fp32, raw);
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private int stream(PrintStream out, AppConfig config, ModelConfig streamingModel, RewardScorer scorer,
      MeterRegistry modelMeters, SampleDataset data, List<ChatTurn> turns, ModelConfig modelConfig,
      RawSearch.Result raw) throws Exception {
    RawSearch.Row best = raw.best();
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Map<String, Integer> partitionOf = BalancedPartitions.assign(turns, partitions);
    TransformerShape shape = TransformerShape.of(modelConfig.model());
    out.printf(Locale.ROOT, "streaming   %d stream threads, %d partitions (assistant turns per partition %s), "
            + "exactly_once_v2, model batch workers %d x %s (the app's model.* settings) and device batches of up "
            + "to %d (the best raw configuration's unless set with -D) with at most %.0f%% padding "
            + "(model.batch-max-padding), batch.max-wait-ms %d, batch.max-in-flight %d, "
            + "batch.commit-on-results %s; each measured pass follows a raw pass of the best configuration on the "
            + "same turns%n", streamThreads,
        partitions, Arrays.toString(BalancedPartitions.load(turns, partitionOf, partitions)),
        streamingModel.batcher().workers(), streamingModel.threads(), streamingModel.batcher().maxBatchSize(),
        100 * streamingModel.batcher().maxPaddingRatio(), config.batching().maxWait().toMillis(),
        config.batching().maxInFlight(), config.batching().commitOnResults());
    List<Double> streamingRates = new ArrayList<>();
    List<Double> rawRates = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> shadowRates = new ArrayList<>();
    List<Double> shadowCosts = new ArrayList<>();
    List<Double> headsShares = new ArrayList<>();
    String appId = config.streamsProperties().get(StreamsConfig.APPLICATION_ID_CONFIG).toString();
    CpuSplit streamingCpu = new CpuSplit("batcher-", appId);
    CpuSplit rawCpu = new CpuSplit("raw-worker", appId);
    try (RawModel rawModel = new RawModel(modelConfig, best.engineThreads(), best.workers(), GATING_HIDDEN);
        StreamingRun run = new StreamingRun(config, scorer, modelMeters, data.cards(), timeout)) {
      warmUp(out, rawModel, raw, best, shape, run, turns, partitionOf, timeout);
      for (int r = 1; r <= reps; r++) {
        ThreadCpu beforeRaw = ThreadCpu.snapshot();
        RawModel.Pass rawPass = rawModel.run(raw.turns(), best.batch(), shape);
        List<Map.Entry<String, Double>> rawPassCpu = ThreadCpu.snapshot().since(beforeRaw);
        printCpu(out, "raw " + r, rawPassCpu, rawPass.seconds());
        rawCpu.add(rawPassCpu);
        double rawRate = raw.turns().size() / rawPass.seconds();
        headsShares.add(1 - rawPass.backboneSeconds() / rawPass.seconds());
        // The history stores grow with every pass; alternating which of the two shadow passes goes first keeps
        // that drift from always landing on the same side of the comparison.
        boolean shadowFirst = shadow && r % 2 == 0;
        StreamingRun.Pass s = shadowFirst ? shadowPass(run, scorer, turns, partitionOf, r, timeout) : null;
        ThreadCpu beforeStreaming = ThreadCpu.snapshot();
        StreamingRun.Pass p = run.pass(relabel(turns, "r" + r), relabelled(partitionOf, "r" + r), 0, timeout);
        List<Map.Entry<String, Double>> streamingPassCpu = ThreadCpu.snapshot().since(beforeStreaming);
        printCpu(out, "streaming " + r, streamingPassCpu, p.seconds());
        streamingCpu.add(streamingPassCpu);
        rawRates.add(rawRate);
        streamingRates.add(p.turnsPerSecond());
        ratios.add(p.turnsPerSecond() / rawRate);
        out.printf(Locale.ROOT, "pass %d      raw %.1f turns/s; streaming %.1f turns/s (%d scores in %.2f s, first "
            + "produce to last visible score, device batches of %.1f turns, %.1f ms each, %.1f%% padding): %.2f of the "
            + "raw pass before%n", r,
            rawRate, p.turnsPerSecond(), p.scores(), p.seconds(), p.meanDeviceBatch(), p.meanBatchModelMs(),
            100 * p.padding(), p.turnsPerSecond() / rawRate);
        if (shadow) {
          if (!shadowFirst) {
            s = shadowPass(run, scorer, turns, partitionOf, r, timeout);
          }
          shadowRates.add(s.turnsPerSecond());
          shadowCosts.add(1 - s.turnsPerSecond() / p.turnsPerSecond());
          out.printf(Locale.ROOT, "shadow %d    streaming with a candidate shadowed %.1f turns/s (%d scores in %.2f "
              + "s, %s the pass without): cost %.1f%% of the pass without%n", r, s.turnsPerSecond(), s.scores(),
              s.seconds(), shadowFirst ? "before" : "after", 100 * (1 - s.turnsPerSecond() / p.turnsPerSecond()));
        }
      }
      // One more raw pass, so that every streaming pass has raw passes on both sides: the host's speed drifts over
      // a run, and the mean of the passes before and after cancels a steady drift that the one before would not.
      ThreadCpu beforeLast = ThreadCpu.snapshot();
      RawModel.Pass lastRaw = rawModel.run(raw.turns(), best.batch(), shape);
      printCpu(out, "raw " + (reps + 1), ThreadCpu.snapshot().since(beforeLast), lastRaw.seconds());
      rawRates.add(raw.turns().size() / lastRaw.seconds());
      List<Double> bracketed = new ArrayList<>();
      for (int r = 0; r < reps; r++) {
        bracketed.add(streamingRates.get(r) / ((rawRates.get(r) + rawRates.get(r + 1)) / 2));
      }
      Spread streaming = Spread.of(streamingRates);
      out.printf(Locale.ROOT, "streaming   %s turns/s; raw in the same passes %s turns/s%n", streaming.format(1),
          Spread.of(rawRates).format(1));
      out.printf(Locale.ROOT, "ratio       streaming / best raw = %s (median of the passes, min-max; each streaming "
          + "pass against the mean of the raw passes before and after it; against the one before only: %s)%n",
          Spread.of(bracketed).format(2), Spread.of(ratios).format(2));
      out.printf(Locale.ROOT, "cpu split   CPU-s per streaming pass: %s%n", streamingCpu.format());
      out.printf(Locale.ROOT, "cpu split   CPU-s per raw pass: %s%n", rawCpu.format());
      out.printf(Locale.ROOT, "cpu split   with the cores busy on both sides the ratio is about (raw model + raw "
          + "rest) / (streaming model + streaming rest) = %.2f: what the streaming side spends besides the model "
          + "decides it%n", (rawCpu.model() + rawCpu.other()) / (streamingCpu.model() + streamingCpu.other()));
      if (shadow) {
        out.printf(Locale.ROOT, "shadow      %s turns/s with a candidate shadowed; cost 1 - shadowed / plain = %s "
            + "(median of the passes, min-max; goal at most 0.05)%n", Spread.of(shadowRates).format(1),
            Spread.of(shadowCosts).format(3));
        out.printf(Locale.ROOT, "shadow      model side: one heads pass is %s of the raw model's time (median, "
            + "min-max), so a candidate's heads on the same embeddings cost about that much more model time%n",
            Spread.of(headsShares).format(4));
      }
      if (pacedShare > 0) {
        paced(out, run, config, data, streaming.median());
      }
      Thread.sleep(3_000);
      out.printf("exactly-once every turn sent in every pass: %d missing scores, %d duplicated, %d unexpected%n",
          run.missingScores(), run.duplicateScores(), run.unexpectedScores());
      out.printf("load        %s at end%n", Machine.loadAverage());
      return run.missingScores() + run.duplicateScores() + run.unexpectedScores() == 0 ? 0 : 1;
    }
  }

  /**
   * Raw and streaming passes until the JIT compilers' share of one falls below {@code --warm-up-jit-share}: until then
   * they take CPU from both sides, the streaming side (far more code) most, so the ratio would measure the warm-up.
   */
  private void warmUp(PrintStream out, RawModel rawModel, RawSearch.Result raw, RawSearch.Row best,
      TransformerShape shape, StreamingRun run, List<ChatTurn> turns, Map<String, Integer> partitionOf,
      Duration timeout) throws Exception {
    double share = 1;
    int w = 0;
    while (w < warmUps && (w < MIN_WARM_UPS || share >= warmUpJitShare)) {
      w++;
      ThreadCpu before = ThreadCpu.snapshot();
      double rawRate = raw.turns().size() / rawModel.run(raw.turns(), best.batch(), shape).seconds();
      StreamingRun.Pass warm = run.pass(relabel(turns, "w" + w), relabelled(partitionOf, "w" + w), 0, timeout);
      List<Map.Entry<String, Double>> cpu = ThreadCpu.snapshot().since(before);
      share = compilerSeconds(cpu) / ThreadCpu.total(cpu);
      out.printf(Locale.ROOT, "warm-up %d   raw %.1f turns/s, streaming %.1f turns/s (not counted); JIT compilers "
          + "%.2f CPU-s, %.1f%% of the CPU%n", w, rawRate, warm.turnsPerSecond(), compilerSeconds(cpu), 100 * share);
    }
    out.printf(Locale.ROOT, "warm-up     %s after %d passes: the JIT compilers took %.1f%% of the last one's CPU "
        + "(settled below %.1f%%)%n", share < warmUpJitShare ? "settled" : "not settled", w, 100 * share,
        100 * warmUpJitShare);
  }

  /** CPU seconds of the JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre") among the given threads. */
  private static double compilerSeconds(List<Map.Entry<String, Double>> cpu) {
    return cpu.stream().filter(e -> e.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
  }

  /** Which threads of this JVM (native ones included) used the cores during a pass, largest first. */
  private static void printCpu(PrintStream out, String pass, List<Map.Entry<String, Double>> cpu, double seconds) {
    out.printf(Locale.ROOT, "cpu         %s: %.2f CPU-s in %.2f s (%.2f cores): %s%n", pass, ThreadCpu.total(cpu),
        seconds, ThreadCpu.total(cpu) / seconds, ThreadCpu.format(cpu, 6));
  }

  private StreamingRun.Pass shadowPass(StreamingRun run, RewardScorer scorer, List<ChatTurn> turns,
      Map<String, Integer> partitionOf, int rep, Duration timeout) throws Exception {
    scorer.installCandidate(BenchTurns.candidateHeads(scorer.backbone().id(), scorer.backbone().pooling(),
        scorer.backbone().embeddingDim(), GATING_HIDDEN));
    try {
      return run.pass(relabel(turns, "s" + rep), relabelled(partitionOf, "s" + rep), 0, timeout);
    } finally {
      scorer.clearCandidate();
    }
  }

  /** Latency only: at a share of the streaming peak, produce→visible percentiles against the bound they should meet. */
  private void paced(PrintStream out, StreamingRun run, AppConfig config, SampleDataset data,
      double streamingPeak) throws Exception {
    List<ChatTurn> conversations = firstConversations(data, pacedConversations);
    long assistant = conversations.stream().filter(t -> "assistant".equals(t.getRole())).count();
    double assistantRate = pacedShare * streamingPeak;
    double rate = assistantRate * conversations.size() / assistant;
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    double share = 1;
    for (int w = 1; w <= pacedWarmUps && share >= warmUpJitShare; w++) {
      List<ChatTurn> turns = relabel(conversations, "paced-w" + w);
      ThreadCpu before = ThreadCpu.snapshot();
      StreamingRun.Pass warm = run.pass(turns, BalancedPartitions.assign(turns, partitions), rate, timeout);
      List<Map.Entry<String, Double>> cpu = ThreadCpu.snapshot().since(before);
      share = compilerSeconds(cpu) / ThreadCpu.total(cpu);
      out.printf(Locale.ROOT, "paced w-up  %d: p99 %d ms (not counted); JIT compilers %.2f CPU-s, %.1f%% of the "
          + "CPU%n", w, new Percentiles(warm.latenciesMs()).at(99), compilerSeconds(cpu), 100 * share);
    }
    List<ChatTurn> turns = relabel(conversations, "paced");
    ThreadCpu before = ThreadCpu.snapshot();
    StreamingRun.Pass p = run.pass(turns, BalancedPartitions.assign(turns, partitions), rate, timeout);
    printCpu(out, "paced", ThreadCpu.snapshot().since(before), p.seconds());
    Percentiles latency = new Percentiles(p.latenciesMs());
    double bound = config.batching().maxWait().toMillis() + 2 * p.meanBatchModelMs();
    out.printf(Locale.ROOT, "paced       %.0f%% of the streaming peak: %.1f assistant turns/s (%.1f turns/s "
        + "produced), %d turns%n", 100 * pacedShare, assistantRate, rate, p.scores());
    out.printf(Locale.ROOT, "latency     produce to read_committed visibility: p50 %d ms, p95 %d ms, p99 %d ms; "
            + "bound max-wait + 2 x one device batch = %d + 2 x %.1f = %.0f ms: p99 %s%n", latency.at(50),
        latency.at(95), latency.at(99), config.batching().maxWait().toMillis(), p.meanBatchModelMs(), bound,
        latency.at(99) <= bound ? "within" : "above");
    printLatencyParts(out, p.turnLatencies());
    if (latencyCsv != null) {
      List<String> rows = new ArrayList<>(List.of("total_ms,waiting_ms,model_ms,commit_ms,batch_size,tokens"));
      p.turnLatencies().forEach(t -> rows.add(String.format(Locale.ROOT, "%d,%.1f,%.1f,%d,%d,%d", t.totalMs(),
          t.waitingMs(), t.modelMs(), t.commitMs(), t.batchSize(), t.tokens())));
      Files.write(latencyCsv, rows);
      out.printf("latency     %d turns written to %s%n", p.turnLatencies().size(), latencyCsv);
    }
  }

  /** Where the time goes, for the median turn and for the slowest 1%: which stage decides the tail. */
  private static void printLatencyParts(PrintStream out, List<TurnLatency> turns) {
    List<TurnLatency> slowest = turns.stream()
        .sorted(Comparator.comparingLong(TurnLatency::totalMs).reversed())
        .limit(Math.max(1, (long) Math.ceil(turns.size() / 100.0))).toList();
    out.printf(Locale.ROOT, "latency     medians of all turns: waiting %.0f ms, model %.0f ms (batch of %.0f), commit "
            + "%.0f ms; the slowest %d (from %d ms), means: waiting %.0f ms, model %.0f ms (batch of %.1f), commit "
            + "%.0f ms (waiting = produce to forward less the model; commit = forward to visible)%n",
        median(turns, TurnLatency::waitingMs), median(turns, TurnLatency::modelMs),
        median(turns, TurnLatency::batchSize), median(turns, TurnLatency::commitMs), slowest.size(),
        slowest.get(slowest.size() - 1).totalMs(), mean(slowest, TurnLatency::waitingMs),
        mean(slowest, TurnLatency::modelMs), mean(slowest, TurnLatency::batchSize),
        mean(slowest, TurnLatency::commitMs));
    // A turn's model time against what a turn of its length takes in the median: the slowdown that is not length.
    List<TurnLatency> alone = turns.stream().filter(t -> t.batchSize() == 1 && t.tokens() > 0).toList();
    if (alone.size() >= 100) {
      double msPerToken = median(alone, t -> t.modelMs() / t.tokens());
      Percentiles slowdown = new Percentiles(alone.stream().mapToLong(t -> Math.round(100 * t.modelMs()
          / (msPerToken * t.tokens()))).toArray());
      Percentiles atMedianPace = new Percentiles(alone.stream().mapToLong(t -> Math.round(t.totalMs() - t.modelMs()
          + msPerToken * t.tokens())).toArray());
      out.printf(Locale.ROOT, "latency     model time of the %d turns in device batches of one against their length "
              + "(median %.3f ms per token): p95 %.2fx, p99 %.2fx; at the median pace per token for every turn the "
              + "p99 would be %d ms%n", alone.size(), msPerToken, slowdown.at(95) / 100.0, slowdown.at(99) / 100.0,
          atMedianPace.at(99));
    }
  }

  private static double median(List<TurnLatency> turns, ToDoubleFunction<TurnLatency> part) {
    return Spread.of(turns.stream().map(t -> part.applyAsDouble(t)).toList()).median();
  }

  private static double mean(List<TurnLatency> turns, ToDoubleFunction<TurnLatency> part) {
    return turns.stream().mapToDouble(part).average().orElse(0);
  }

  private AppConfig benchConfig(Map<String, String> given, KafkaBroker broker, RawSearch.Row best)
      throws Exception {
    String prefix = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    Map<String, String> values = new HashMap<>(given);
    for (String t : List.of("chat-turns", "character-cards", "turn-scores", "moderation-events", "turn-embeddings",
        "reward-weights", "turn-scores-shadow")) {
      values.put("topics." + t, prefix + "-" + t);
    }
    values.put("topics.dead-letters", prefix + "-dlq");
    values.put("topics.partitions", Integer.toString(partitions));
    values.put("application.id", prefix);
    values.put("num.stream.threads", Integer.toString(streamThreads));
    // The app's own workers and threads (its defaults, or -D), against the raw model at its best; the device batch
    // of the best raw configuration unless the command line sets it.
    values.putIfAbsent("model.batch-size", Integer.toString(best.batch()));
    values.putIfAbsent("state.dir", Files.createTempDirectory("quest-bench").toString());
    values.putIfAbsent("schema.registry.url", "mock://bench");
    if (broker != null) {
      values.put("bootstrap.servers", broker.bootstrapServers());
    }
    return AppConfig.from(values);
  }

  private static List<ChatTurn> firstConversations(SampleDataset data, int n) {
    Set<String> kept = data.turnsByConversation().keySet().stream().limit(n).collect(Collectors.toSet());
    return data.turns().stream().filter(t -> kept.contains(t.getConversationId())).toList();
  }

  /** The same turns as distinct conversations, so a pass never meets the turn ids of another. */
  private static List<ChatTurn> relabel(List<ChatTurn> turns, String pass) {
    String suffix = "#" + pass;
    return turns.stream().map(t -> ChatTurn.newBuilder(t)
        .setTurnId(t.getTurnId() + suffix)
        .setConversationId(t.getConversationId() + suffix)
        .setParentTurnId(t.getParentTurnId() == null ? null : t.getParentTurnId() + suffix)
        .build()).toList();
  }

  private static Map<String, Integer> relabelled(Map<String, Integer> partitionOf, String pass) {
    Map<String, Integer> out = new HashMap<>();
    partitionOf.forEach((c, p) -> out.put(c + "#" + pass, p));
    return out;
  }
}
