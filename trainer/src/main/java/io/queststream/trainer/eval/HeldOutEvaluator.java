package io.queststream.trainer.eval;

import io.queststream.model.heads.HeadsMath;
import io.queststream.model.heads.HeadsWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scores a held-out set with the inference forward pass (HeadsMath) so evaluation sees what serving will see. */
public final class HeldOutEvaluator {

  private HeldOutEvaluator() {}

  public static Evaluation evaluate(HeadsWeights w, HeldOutSet set) {
    double[] chosen = new double[set.pairs().size()];
    double[] rejected = new double[chosen.length];
    double[] chosenTokens = new double[chosen.length];
    double[] rejectedTokens = new double[chosen.length];
    for (int i = 0; i < chosen.length; i++) {
      HeldOutSet.Pair p = set.pairs().get(i);
      chosen[i] = HeadsMath.forward(w, p.chosenPrompt(), p.chosenResponse()).score();
      rejected[i] = HeadsMath.forward(w, p.rejectedPrompt(), p.rejectedResponse()).score();
      chosenTokens[i] = p.chosenTokens();
      rejectedTokens[i] = p.rejectedTokens();
    }
    List<PreferenceMetrics.BestOfNItem> items = new ArrayList<>();
    List<PreferenceMetrics.BestOfNItem> byLength = new ArrayList<>();
    for (HeldOutSet.BestOfN b : set.bestOfN()) {
      double[] losers = new double[b.losers().size()];
      double[] loserTokens = new double[losers.length];
      for (int i = 0; i < losers.length; i++) {
        losers[i] = HeadsMath.forward(w, b.prompt(), b.losers().get(i)).score();
        loserTokens[i] = b.tokensBestFirst()[i + 1];
      }
      items.add(new PreferenceMetrics.BestOfNItem(HeadsMath.forward(w, b.prompt(), b.best()).score(), losers));
      byLength.add(new PreferenceMetrics.BestOfNItem(b.tokensBestFirst()[0], loserTokens));
    }
    Map<String, Double> mse = new LinkedHashMap<>();
    Map<String, Double> spearman = new LinkedHashMap<>();
    for (int a = 0; a < w.attributeCount(); a++) {
      List<double[]> predictedActual = new ArrayList<>();
      for (HeldOutSet.Rated r : set.rated()) {
        if (!Double.isNaN(r.labels()[a])) {
          predictedActual.add(new double[] {HeadsMath.rewards(w, r.response())[a], r.labels()[a]});
        }
      }
      if (predictedActual.size() >= 2) {
        double[] pred = predictedActual.stream().mapToDouble(x -> x[0]).toArray();
        double[] act = predictedActual.stream().mapToDouble(x -> x[1]).toArray();
        mse.put(w.attributes().get(a), PreferenceMetrics.meanSquaredError(pred, act));
        spearman.put(w.attributes().get(a), Spearman.correlation(pred, act));
      }
    }
    return new Evaluation(chosen.length, PreferenceMetrics.pairwiseAccuracy(chosen, rejected), items.size(),
        PreferenceMetrics.bestOfNAccuracy(items), mse, spearman, ReliabilityCurve.of(chosen, rejected, 10),
        PreferenceMetrics.pairwiseAccuracy(chosenTokens, rejectedTokens), PreferenceMetrics.bestOfNAccuracy(byLength));
  }
}
