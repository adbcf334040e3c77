package io.queststream.trainer.eval;

import io.queststream.model.heads.HeadsMath;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.trainer.embedding.EmbeddingCache;

/**
 * One turn scored by a weights version, with the length-only baselines' inputs.
 *
 * @param score the served score, {@code Σ r·(g Tᵀ)}
 * @param scoreWithoutTransform the same heads without the debiasing transform, {@code Σ r·g}: what the transform
 *     changed is the difference
 * @param rewards the attribute rewards on [0,1] (the ratings' normalised scale)
 * @param tokens the reply's length in backbone tokens
 * @param chars the reply's length in characters (Unicode code points)
 */
public record ScoredTurn(double score, double scoreWithoutTransform, float[] rewards, int tokens, int chars) {

  public static ScoredTurn of(HeadsWeights w, EmbeddingCache.Entry e, String reply) {
    HeadsMath.Output o = HeadsMath.forward(w, e.prompt(), e.response());
    double raw = 0;
    for (int k = 0; k < o.rewards().length; k++) {
      raw += (double) o.rewards()[k] * o.gating()[k];
    }
    return new ScoredTurn(o.score(), raw, o.rewards(), e.responseTokens(), reply.codePointCount(0, reply.length()));
  }
}
