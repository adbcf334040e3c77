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
    TransformerShape baseShape = TransformerShape.of(baseConfig.model());
    TransformerShape otherShape = TransformerShape.of(otherConfig.model());
    try (RawModel a = new RawModel(baseConfig, base.best().engineThreads(), base.best().workers(), gatingHidden);
        RawModel b = new RawModel(otherConfig, other.best().engineThreads(), other.best().workers(), gatingHidden)) {
      Alternation.Result r = Alternation.run(
          () -> base.turns().size() / a.run(base.turns(), base.best().batch(), baseShape).seconds(),
          () -> other.turns().size() / b.run(other.turns(), other.best().batch(), otherShape).seconds(), reps);
      out.printf(Locale.ROOT, "%s (%s) against %s (%s), passes in turns: %s vs %s turns/s, %sx%n",
          other.backboneId(), other.best().describe(), base.backboneId(), base.best().describe(),
          r.second().format(1), r.first().format(1), r.ratio().format(2));
    }
  }
}
