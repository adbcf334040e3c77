package io.queststream.model.shadow;

import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ShadowScore;
import java.util.List;

/**
 * One turn scored by the serving and the candidate heads on the same embeddings: what the shadow window compares.
 *
 * @param servingAttributes the serving heads' attribute rewards on the rating scale, in attribute order
 * @param candidateAttributes the candidate heads' rewards on the same scale and order
 * @param servingFlagged the serving score broke a moderation rule
 * @param candidateFlagged the candidate score would have broken one
 */
public record ShadowPair(String turnId, String characterId, String policyModel, List<String> attributes,
    double[] servingAttributes, double[] candidateAttributes, double servingScore, double candidateScore,
    boolean servingFlagged, boolean candidateFlagged) {

  public ShadowPair {
    if (servingAttributes.length != attributes.size() || candidateAttributes.length != attributes.size()) {
      throw new IllegalArgumentException("turn " + turnId + ": " + attributes.size() + " attributes, "
          + servingAttributes.length + " serving and " + candidateAttributes.length + " candidate values");
    }
  }

  /** The pair a shadow-score record carries, rewards on the rating scale. */
  public static ShadowPair of(ShadowScore s) {
    List<String> names = s.getServingAttributes().stream().map(AttributeScore::getAttribute).toList();
    return new ShadowPair(s.getTurnId(), s.getCharacterId(), s.getPolicyModel(), names,
        onScale(s.getServingAttributes()), onScale(s.getCandidateAttributes()), s.getServingScore(),
        s.getCandidateScore(), s.getServingFlagged(), s.getCandidateFlagged());
  }

  private static double[] onScale(List<AttributeScore> scores) {
    return scores.stream().mapToDouble(AttributeScore::getRewardOnScale).toArray();
  }

  /** The moderation decision would change with the candidate. */
  public boolean flips() {
    return servingFlagged != candidateFlagged;
  }
}
