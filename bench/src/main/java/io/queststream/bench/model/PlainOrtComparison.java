package io.queststream.bench.model;

import ai.onnxruntime.OrtEnvironment;
import io.queststream.bench.Alternation;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.config.ModelConfig;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The best raw configuration next to plain ONNX Runtime on the same turns, threads and batches, passes in turns:
 * the project's backbone alone (DJL, hidden states and pooling) and with the heads, against the session alone.
 */
public final class PlainOrtComparison {

  private PlainOrtComparison() {}

  public static void run(ModelConfig config, RawSearch.Result raw, int reps, int gatingHidden, PrintStream out)
      throws Exception {
    RawSearch.Row best = raw.best();
    try (RawModel model = new RawModel(config, best.threads(), gatingHidden);
        PlainOrt plain = new PlainOrt(ModelFiles.resolve(config).modelFile(), best.threads(), config.batcher())) {
      double[] last = new double[2];
      Alternation.Pass project = () -> {
        RawModel.Pass p = model.run(raw.turns(), best.batch(), TransformerShape.MINILM_L6);
        last[0] = raw.turns().size() / p.backboneSeconds();
        return raw.turns().size() / p.seconds();
      };
      Alternation.Result withHeads = Alternation.run(
          () -> raw.turns().size() / plain.run(raw.turns(), best.batch()), project, reps);
      Alternation.Result alone = Alternation.run(
          () -> raw.turns().size() / plain.run(raw.turns(), best.batch()), () -> {
            project.turnsPerSecond();
            return last[0];
          }, reps);
      out.printf(Locale.ROOT, "plain ONNX Runtime %s, same inputs, %d threads, batch %d, passes in turns with the "
              + "project's: plain %s turns/s; project backbone alone %s = %s of plain; with pooling and heads %s = %s "
              + "of plain%n", OrtEnvironment.getEnvironment().getVersion(), best.threads(), best.batch(),
          withHeads.first().format(1), alone.second().format(1), alone.ratio().format(2),
          withHeads.second().format(1), withHeads.ratio().format(2));
    }
  }
}
