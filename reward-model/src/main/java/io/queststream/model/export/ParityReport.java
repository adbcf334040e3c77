package io.queststream.model.export;

import io.queststream.model.api.RewardResult;
import java.util.List;

/**
 * Largest differences between the Java scorer's results and the Python reference: for embeddings relative to the
 * reference vector's largest magnitude (a decoder's hidden states reach the hundreds, where one bfloat16 step is
 * larger than any useful absolute tolerance), for rewards, gating, coefficients and score absolute.
 */
public record ParityReport(double embedding, double reward, double gating, double coefficient, double score,
    int turns) {

  public static ParityReport compare(ParityReference reference, List<RewardResult> results) {
    if (results.size() != reference.turns().size()) {
      throw new IllegalArgumentException(results.size() + " results for " + reference.turns().size() + " turns");
    }
    double emb = 0;
    double rew = 0;
    double gat = 0;
    double coe = 0;
    double sco = 0;
    for (int i = 0; i < results.size(); i++) {
      ParityReference.Turn t = reference.turns().get(i);
      RewardResult r = results.get(i);
      emb = Math.max(emb, Math.max(relativeDiff(t.promptEmbedding(), r.promptEmbedding()),
          relativeDiff(t.responseEmbedding(), r.responseEmbedding())));
      for (int k = 0; k < r.attributes().size(); k++) {
        rew = Math.max(rew, Math.abs(t.rewards()[k] - r.attributes().get(k).reward()));
        gat = Math.max(gat, Math.abs(t.gating()[k] - r.attributes().get(k).gating()));
        coe = Math.max(coe, Math.abs(t.coefficients()[k] - r.attributes().get(k).coefficient()));
      }
      sco = Math.max(sco, Math.abs(t.score() - r.score()));
    }
    return new ParityReport(emb, rew, gat, coe, sco, results.size());
  }

  public double worst() {
    return Math.max(Math.max(embedding, reward), Math.max(Math.max(gating, coefficient), score));
  }

  /** max |reference - actual| / max |reference|; infinite when the lengths differ or the reference is all zero. */
  static double relativeDiff(float[] reference, float[] actual) {
    if (reference.length != actual.length) {
      return Double.POSITIVE_INFINITY;
    }
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < reference.length; i++) {
      diff = Math.max(diff, Math.abs(reference[i] - actual[i]));
      scale = Math.max(scale, Math.abs(reference[i]));
    }
    if (diff == 0) {
      return 0;
    }
    return scale == 0 ? Double.POSITIVE_INFINITY : diff / scale;
  }

  @Override
  public String toString() {
    return String.format("max |diff| over %d turns: embeddings %.3g (relative), rewards %.3g, gating %.3g, "
        + "coefficients %.3g, score %.3g", turns, embedding, reward, gating, coefficient, score);
  }
}
