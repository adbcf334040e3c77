package io.queststream.bench.model;

import ai.onnxruntime.OrtEnvironment;
import io.queststream.bench.Spread;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.config.ModelConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The best raw configuration next to plain ONNX Runtime on the same turns, threads and batches. */
public final class PlainOrtComparison {

  private PlainOrtComparison() {}

  /** Prints the comparison; returns plain ORT's turns/s. */
  public static Spread run(ModelConfig config, RawSearch.Result raw, int reps, PrintStream out) throws Exception {
    RawSearch.Row best = raw.best();
    List<Double> perSecond = new ArrayList<>();
    try (PlainOrt plain = new PlainOrt(ModelFiles.resolve(config).modelFile(), best.threads(), config.batcher())) {
      plain.run(raw.turns(), best.batch());
      for (int r = 0; r < reps; r++) {
        perSecond.add(raw.turns().size() / plain.run(raw.turns(), best.batch()));
      }
    }
    Spread plain = Spread.of(perSecond);
    out.printf(Locale.ROOT, "plain ONNX Runtime %s (same inputs, %d threads, batch %d): %s turns/s; the project's "
        + "backbone alone %.1f = %.2f of it, with pooling and heads %.1f = %.2f%n",
        OrtEnvironment.getEnvironment().getVersion(), best.threads(), best.batch(), plain.format(1),
        best.backboneTurnsPerSecond().median(), best.backboneTurnsPerSecond().median() / plain.median(),
        best.turnsPerSecond().median(), best.turnsPerSecond().median() / plain.median());
    return plain;
  }
}
