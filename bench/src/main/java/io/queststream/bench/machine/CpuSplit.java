package io.queststream.bench.machine;

import io.queststream.bench.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Where the CPU of repeated passes went, by kind of thread: the model's workers against everything else, and of the
 * rest the JIT compilers, the apps' Kafka Streams threads and the in-JVM broker's request handlers. When both sides
 * of a comparison keep the cores busy, their speeds stand in about the ratio of these totals, so this is what
 * decides a streaming / raw figure. Thread names are Linux's, cut to 15 characters.
 */
public final class CpuSplit {

  private static final String COMPILERS = "CompilerThre";
  private static final String BROKER_HANDLERS = "data-plane-kafk";

  /** One pass's CPU-s by kind; {@code other} is everything but the model, the three after it are part of it. */
  private record Pass(double model, double other, double compilers, double streams, double broker) {}

  private final String modelPrefix;
  private final String streamsPrefix;
  private final List<Pass> passes = new ArrayList<>();

  /**
   * @param modelPrefix how the names of the model's worker threads start
   * @param streamsPrefix how the names of the Kafka Streams threads start (the application id)
   */
  public CpuSplit(String modelPrefix, String streamsPrefix) {
    this.modelPrefix = modelPrefix;
    this.streamsPrefix = streamsPrefix.length() > 15 ? streamsPrefix.substring(0, 15) : streamsPrefix;
  }

  /** Adds one pass's CPU per thread ({@link ThreadCpu#since}). */
  public void add(List<Map.Entry<String, Double>> cpu) {
    double model = 0;
    double compilers = 0;
    double streams = 0;
    double broker = 0;
    for (Map.Entry<String, Double> e : cpu) {
      String name = e.getKey();
      if (name.startsWith(modelPrefix)) {
        model += e.getValue();
      } else if (name.contains(COMPILERS)) {
        compilers += e.getValue();
      } else if (name.startsWith(streamsPrefix)) {
        streams += e.getValue();
      } else if (name.startsWith(BROKER_HANDLERS)) {
        broker += e.getValue();
      }
    }
    passes.add(new Pass(model, ThreadCpu.total(cpu) - model, compilers, streams, broker));
  }

  /** "model 10.79 (10.55–11.15), everything else 2.10 (...) (of which JIT compilers ..., ...)" in CPU-s per pass. */
  public String format() {
    return String.format(Locale.ROOT, "model %s, everything else %s (of which JIT compilers %s, Kafka Streams "
            + "threads %s, broker request handlers %s)", spread(Pass::model), spread(Pass::other),
        spread(Pass::compilers), spread(Pass::streams), spread(Pass::broker));
  }

  /** Median model CPU-s per pass. */
  public double model() {
    return of(Pass::model).median();
  }

  /** Median CPU-s per pass of everything but the model. */
  public double other() {
    return of(Pass::other).median();
  }

  private String spread(ToDoubleFunction<Pass> part) {
    return of(part).format(2);
  }

  private Spread of(ToDoubleFunction<Pass> part) {
    return Spread.of(passes.stream().map(p -> part.applyAsDouble(p)).toList());
  }
}
