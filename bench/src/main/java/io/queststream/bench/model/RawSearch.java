package io.queststream.bench.model;

import io.queststream.bench.Spread;
import io.queststream.bench.machine.ThreadCpu;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.backbone.TurnWindows;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.text.TurnTokenizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The best raw configuration of a backbone: every thread count (with ONNX Runtime's idle workers spinning or
 * sleeping, where there are workers) times every count of batch workers that fits the processors (workers x threads)
 * times every batch size on the same turns, sorted by length (the least padding any batching could get), a warm-up
 * pass and then repeated passes per configuration.
 */
public final class RawSearch {

  /** One configuration's figures; FLOP/s count real tokens only (padding is work, not progress). */
  public record Row(int workers, int threads, boolean spinWait, int batch, Spread turnsPerSecond, double padding,
      double gflops, Spread backboneTurnsPerSecond) {

    public EngineThreads engineThreads() {
      return new EngineThreads(threads, 1, spinWait);
    }

    /** "1 worker x 2 threads, spin-wait off, batch 8". */
    public String describe() {
      return workers + (workers == 1 ? " worker x " : " workers x ") + threads + (threads == 1 ? " thread" : " threads")
          + ", spin-wait " + (spinWait ? "on" : "off") + ", batch " + batch;
    }
  }

  /** The grid's rows and the best of them (highest median turns/s). */
  public record Result(String backboneId, List<PreparedTurn> turns, List<Row> rows, Row best) {

    /** The best row of one batch worker (what a single caller of the engine gets); empty when none was searched. */
    public Optional<Row> bestSingleWorker() {
      return rows.stream().filter(r -> r.workers() == 1)
          .max(Comparator.comparingDouble(r -> r.turnsPerSecond().median()));
    }
  }

  private RawSearch() {}

  public static List<PreparedTurn> tokenize(ModelConfig config, List<ScoringRequest> requests) throws Exception {
    ModelFiles files = ModelFiles.resolve(config);
    List<PreparedTurn> turns = new ArrayList<>();
    TurnWindows windows = new TurnWindows(files.backboneId(), config.maxSequenceTokens(),
        config.text().windowOverlap(), config.text().maxWindows(), config.pooling());
    try (TurnTokenizer tokenizer = TurnTokenizer.load(files.tokenizerJson(), files.tokenizerConfig(), config.text(),
        config.contextBudget(), config.maxSequenceTokens())) {
      for (ScoringRequest r : requests) {
        turns.add(windows.plan(tokenizer.tokenize(r)));
      }
    }
    turns.sort(Comparator.comparingInt(PreparedTurn::tokens));
    return turns;
  }

  /**
   * @param workerCounts batch workers to try with each thread count, where workers x threads fits the available
   *     processors (one worker always)
   */
  public static Result run(ModelConfig config, List<ScoringRequest> requests, List<Integer> threadCounts,
      List<Integer> workerCounts, List<Boolean> spinWaits, List<Integer> batchSizes, int reps, int gatingHidden,
      double gemmPeakGflops, boolean fp32, PrintStream out) throws Exception {
    List<PreparedTurn> turns = tokenize(config, requests);
    TransformerShape shape = TransformerShape.of(config.model());
    double meanTokens = turns.stream().mapToInt(PreparedTurn::tokens).average().orElse(0);
    String backboneId = ModelFiles.resolve(config).backboneId();
    out.printf(Locale.ROOT, "raw model %s: %d turns, mean %.0f tokens, length-sorted, padded to %d-token buckets; "
        + "backbone + heads on each worker; a warm-up pass, then %d passes%n", backboneId, turns.size(), meanTokens,
        config.batcher().sequenceBuckets().get(0), reps);
    out.println("workers | threads | spin | batch | turns/s median (min-max) | backbone only turns/s | padding "
        + "| GFLOP/s | of peak");
    List<Row> rows = new ArrayList<>();
    Map<String, String> cpuOf = new HashMap<>();
    record Setup(EngineThreads engine, int workers) {}
    List<Setup> setups = new ArrayList<>();
    int processors = Runtime.getRuntime().availableProcessors();
    for (int threads : threadCounts) {
      // One thread has no idle workers to spin.
      for (boolean spin : threads == 1 ? List.of(false) : spinWaits) {
        for (int workers : workerCounts) {
          if (workers == 1 || workers * threads <= processors) {
            setups.add(new Setup(new EngineThreads(threads, 1, spin), workers));
          }
        }
      }
    }
    for (Setup setup : setups) {
      EngineThreads engine = setup.engine();
      int threads = engine.intraOp();
      try (RawModel model = new RawModel(config, engine, setup.workers(), gatingHidden)) {
        out.println("        | engines: " + model.engines());
        for (int batch : batchSizes) {
          model.run(turns, batch, shape);
          List<Double> perSecond = new ArrayList<>();
          List<Double> backbonePerSecond = new ArrayList<>();
          RawModel.Pass last = null;
          ThreadCpu before = ThreadCpu.snapshot();
          double measuredSeconds = 0;
          for (int r = 0; r < reps; r++) {
            last = model.run(turns, batch, shape);
            perSecond.add(turns.size() / last.seconds());
            backbonePerSecond.add(turns.size() / last.backboneSeconds());
            measuredSeconds += last.seconds();
          }
          List<Map.Entry<String, Double>> cpu = ThreadCpu.snapshot().since(before);
          cpuOf.put(setup + "x" + batch, String.format(Locale.ROOT, "%.2f CPU-s in %.2f s (%.2f cores): %s",
              ThreadCpu.total(cpu), measuredSeconds, ThreadCpu.total(cpu) / measuredSeconds,
              ThreadCpu.format(cpu, 6)));
          Spread tps = Spread.of(perSecond);
          double padding = 1 - (double) last.realTokens() / last.paddedTokens();
          double gflops = last.flops() / turns.size() * tps.median() / 1e9;
          Row row = new Row(setup.workers(), threads, engine.spinWait(), batch, tps, padding, gflops,
              Spread.of(backbonePerSecond));
          rows.add(row);
          out.printf(Locale.ROOT, "%7d | %7d | %4s | %5d | %24s | %21s | %6.1f%% | %7.1f | %s%n", setup.workers(),
              threads, engine.spinWait() ? "on" : "off", batch, tps.format(1),
              row.backboneTurnsPerSecond().format(1), 100 * padding, gflops,
              fp32 ? String.format(Locale.ROOT, "%5.1f%%", 100 * gflops / gemmPeakGflops) : "(int8)");
        }
      }
    }
    Row best = rows.stream().max(Comparator.comparingDouble(r -> r.turnsPerSecond().median())).orElseThrow();
    out.printf(Locale.ROOT, "best raw configuration: %s: %s turns/s%n", best.describe(),
        best.turnsPerSecond().format(1));
    out.printf("cpu         best raw configuration's passes: %s%n",
        cpuOf.get(new Setup(best.engineThreads(), best.workers()) + "x" + best.batch()));
    return new Result(backboneId, turns, rows, best);
  }
}
