package io.queststream.bench.model;

import io.queststream.bench.Alternation;
import io.queststream.model.config.ModelConfig;
import java.io.PrintStream;
import java.util.Locale;

/** Two backbones at their own best raw configurations, passes in turns on the same turns. */
public final class BackboneComparison {

  private BackboneComparison() {}

  public static void run(ModelConfig baseConfig, RawSearch.Result base, ModelConfig otherConfig,
      RawSearch.Result other, int reps, int gatingHidden, PrintStream out) throws Exception {
    try (RawModel a = new RawModel(baseConfig, base.best().threads(), gatingHidden);
        RawModel b = new RawModel(otherConfig, other.best().threads(), gatingHidden)) {
      Alternation.Result r = Alternation.run(
          () -> base.turns().size() / a.run(base.turns(), base.best().batch(), TransformerShape.MINILM_L6).seconds(),
          () -> other.turns().size() / b.run(other.turns(), other.best().batch(), TransformerShape.MINILM_L6)
              .seconds(), reps);
      out.printf(Locale.ROOT, "%s (%d threads, batch %d) against %s (%d threads, batch %d), passes in turns: %s vs "
              + "%s turns/s, %sx%n", other.backboneId(), other.best().threads(), other.best().batch(),
          base.backboneId(), base.best().threads(), base.best().batch(), r.second().format(1), r.first().format(1),
          r.ratio().format(2));
    }
  }
}
