package io.queststream.bench.machine;

import io.queststream.bench.Spread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the CPU of repeated passes went, by kind of thread: the model's workers against everything else, and of the
 * rest the JIT compilers, the apps' Kafka Streams threads and the in-JVM broker's request handlers. When both sides
 * of a comparison keep the cores busy, their speeds stand in about the ratio of these totals, so this is what
 * decides a streaming / raw figure. Thread names are Linux's, cut to 15 characters.
 */
public final class CpuSplit {

  private static final String COMPILERS = "CompilerThre";
  private static final String BROKER_HANDLERS = "data-plane-kafk";

  private final String modelPrefix;
  private final String streamsPrefix;
  private final Map<String, List<Double>> seconds = new LinkedHashMap<>();

  /**
   * @param modelPrefix how the names of the model's worker threads start
   * @param streamsPrefix how the names of the Kafka Streams threads start (the application id)
   */
  public CpuSplit(String modelPrefix, String streamsPrefix) {
    this.modelPrefix = modelPrefix;
    this.streamsPrefix = streamsPrefix.length() > 15 ? streamsPrefix.substring(0, 15) : streamsPrefix;
    for (String k : List.of("model", "other", "JIT compilers", "Kafka Streams threads", "broker request handlers")) {
      seconds.put(k, new ArrayList<>());
    }
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
    seconds.get("model").add(model);
    seconds.get("other").add(ThreadCpu.total(cpu) - model);
    seconds.get("JIT compilers").add(compilers);
    seconds.get("Kafka Streams threads").add(streams);
    seconds.get("broker request handlers").add(broker);
  }

  /** "model 10.79 (10.55–11.15), other 2.10 (...) (JIT compilers ..., ...)" in CPU-s per pass. */
  public String format() {
    String parts = seconds.entrySet().stream().skip(2)
        .map(e -> e.getKey() + " " + Spread.of(e.getValue()).format(2))
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "model %s, everything else %s (of which %s)",
        Spread.of(seconds.get("model")).format(2), Spread.of(seconds.get("other")).format(2), parts);
  }

  /** Median model CPU-s per pass. */
  public double model() {
    return Spread.of(seconds.get("model")).median();
  }

  /** Median CPU-s per pass of everything but the model. */
  public double other() {
    return Spread.of(seconds.get("other")).median();
  }
}
