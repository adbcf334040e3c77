package io.queststream.model.shadow;

import java.util.List;

/**
 * How far the candidate agrees with the serving version on one group of turns (all, one character, one policy
 * model).
 *
 * @param turns turns scored by both
 * @param attributes per attribute, in attribute order
 * @param scoreRankCorrelation Spearman correlation of the two preference scores (NaN with fewer than two turns or a
 *     constant score)
 * @param scoreMeanShift mean of candidate minus serving preference score
 * @param flips turns whose moderation decision the candidate would change
 * @param newlyFlagged of those, turns the candidate would flag and the serving version does not
 */
public record Agreement(long turns, List<AttributeAgreement> attributes, double scoreRankCorrelation,
    double scoreMeanShift, long flips, long newlyFlagged) {

  /**
   * One attribute's agreement.
   *
   * @param correlation Pearson correlation of the two rewards on the rating scale (NaN when undefined)
   * @param meanShift mean of candidate minus serving reward on the rating scale
   */
  public record AttributeAgreement(String attribute, double correlation, double meanShift) {}

  /** Share of turns whose moderation decision would flip; 0 without turns. */
  public double flipRate() {
    return turns == 0 ? 0 : (double) flips / turns;
  }

  /** The largest |mean shift| over the attributes; 0 without attributes. */
  public double maxAttributeShift() {
    return attributes.stream().mapToDouble(a -> Math.abs(a.meanShift())).max().orElse(0);
  }
}
