package io.queststream.bench.model;

import ai.onnxruntime.OrtEnvironment;
import io.queststream.bench.Spread;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.config.ModelConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The best raw configuration of one caller (one batch worker) next to plain ONNX Runtime on the same turns, threads
 * and batches, passes in turns (so that load from other processes falls on both alike): the project's backbone alone
 * (DJL: hidden states and pooling) and with the heads, timed within the same pass, against the session alone.
 */
public final class PlainOrtComparison {

  private PlainOrtComparison() {}

  public static void run(ModelConfig config, RawSearch.Result raw, int reps, int gatingHidden, PrintStream out)
      throws Exception {
    Optional<RawSearch.Row> single = raw.bestSingleWorker();
    if (single.isEmpty()) {
      out.println("plain ONNX Runtime: not compared (it is driven by one caller; no one-worker configuration was "
          + "searched, see --workers)");
      return;
    }
    RawSearch.Row best = single.get();
    TransformerShape shape = TransformerShape.of(config.model());
    try (RawModel model = new RawModel(config, best.engineThreads(), gatingHidden);
        PlainOrt plain = new PlainOrt(ModelFiles.resolve(config).modelFile(), best.engineThreads(),
            config.batcher())) {
      int n = raw.turns().size();
      plain.run(raw.turns(), best.batch());
      model.run(raw.turns(), best.batch(), shape);
      List<Double> plainRates = new ArrayList<>();
      List<Double> withHeads = new ArrayList<>();
      List<Double> alone = new ArrayList<>();
      List<Double> withHeadsRatio = new ArrayList<>();
      List<Double> aloneRatio = new ArrayList<>();
      for (int r = 0; r < reps; r++) {
        double p = n / plain.run(raw.turns(), best.batch());
        RawModel.Pass pass = model.run(raw.turns(), best.batch(), shape);
        plainRates.add(p);
        withHeads.add(n / pass.seconds());
        alone.add(n / pass.backboneSeconds());
        withHeadsRatio.add(n / pass.seconds() / p);
        aloneRatio.add(n / pass.backboneSeconds() / p);
      }
      out.printf(Locale.ROOT, "plain ONNX Runtime %s, same inputs, %s, passes in turns with the "
              + "project's: plain %s turns/s; project backbone alone %s = %s of plain; with pooling and heads %s = %s "
              + "of plain%n", OrtEnvironment.getEnvironment().getVersion(), best.describe(),
          Spread.of(plainRates).format(1), Spread.of(alone).format(1), Spread.of(aloneRatio).format(2),
          Spread.of(withHeads).format(1), Spread.of(withHeadsRatio).format(2));
    }
  }
}
