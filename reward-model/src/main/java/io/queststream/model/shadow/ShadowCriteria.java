package io.queststream.model.shadow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a shadowed candidate may serve: after at least {@code minTurns} turns, its preference scores rank the turns
 * like the serving version's (Spearman at least {@code minRankCorrelation}), it would flip at most
 * {@code maxFlipRate} of the moderation decisions, and no attribute's mean moves by more than
 * {@code maxMeanShift} on the rating scale. Judged on the whole window (docs/shadow.md).
 */
public record ShadowCriteria(long minTurns, double minRankCorrelation, double maxFlipRate, double maxMeanShift) {

  /** What the window says about the candidate. */
  public enum Decision { WAIT, PROMOTE, DISCARD }

  /** A decision and why: the criteria it met or broke, with the numbers. */
  public record Verdict(Decision decision, List<String> reasons) {}

  public ShadowCriteria {
    if (minTurns < 1) {
      throw new IllegalArgumentException("shadow.min-turns must be at least 1, was " + minTurns);
    }
    if (maxFlipRate < 0 || maxFlipRate > 1) {
      throw new IllegalArgumentException("shadow.max-flip-rate must be within [0, 1], was " + maxFlipRate);
    }
    if (maxMeanShift < 0) {
      throw new IllegalArgumentException("shadow.max-mean-shift must not be negative, was " + maxMeanShift);
    }
  }

  public Verdict judge(Agreement overall) {
    if (overall.turns() < minTurns) {
      return new Verdict(Decision.WAIT, List.of(String.format(Locale.ROOT, "%d of %d turns shadowed",
          overall.turns(), minTurns)));
    }
    List<String> broken = new ArrayList<>();
    List<String> met = new ArrayList<>();
    double rho = overall.scoreRankCorrelation();
    String rank = String.format(Locale.ROOT, "score rank correlation %.4f (min %.4f)", rho, minRankCorrelation);
    (Double.isNaN(rho) || rho < minRankCorrelation ? broken : met).add(rank);
    String flips = String.format(Locale.ROOT, "flip rate %.4f: %d of %d moderation decisions (max %.4f)",
        overall.flipRate(), overall.flips(), overall.turns(), maxFlipRate);
    (overall.flipRate() > maxFlipRate ? broken : met).add(flips);
    for (Agreement.AttributeAgreement a : overall.attributes()) {
      if (Math.abs(a.meanShift()) > maxMeanShift) {
        broken.add(String.format(Locale.ROOT, "%s mean shift %+.4f (max %.4f)", a.attribute(), a.meanShift(),
            maxMeanShift));
      }
    }
    if (broken.size() == 0) {
      met.add(String.format(Locale.ROOT, "largest attribute mean shift %.4f (max %.4f)",
          overall.maxAttributeShift(), maxMeanShift));
      return new Verdict(Decision.PROMOTE, List.copyOf(met));
    }
    return new Verdict(Decision.DISCARD, List.copyOf(broken));
  }
}
