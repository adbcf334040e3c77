package io.queststream.trainer.promotion;

import io.queststream.trainer.eval.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Publishes a candidate only if it does not regress the current version beyond the policy's tolerances. */
public final class PromotionGate {

  private final PromotionPolicy policy;

  public PromotionGate(PromotionPolicy policy) {
    this.policy = policy;
  }

  /**
   * @param current evaluation of the published version on the same held-out set, or null when none is published
   */
  public PromotionDecision decide(Evaluation candidate, Evaluation current, boolean heldOutEmpty) {
    Map<String, Double> cand = candidate.asMetrics();
    Map<String, Double> cur = current == null ? Map.of() : current.asMetrics();
    List<String> reasons = new ArrayList<>();
    if (policy.beatLengthBaseline() && !beatsLengthBaseline(candidate, reasons)) {
      return new PromotionDecision(false, reasons, cand, cur);
    }
    if (current == null) {
      reasons.add("no published version to compare with");
      return new PromotionDecision(true, reasons, cand, cur);
    }
    if (heldOutEmpty) {
      reasons.add("no held-out data to compare on");
      return new PromotionDecision(policy.publishUnevaluated(), reasons, cand, cur);
    }
    boolean ok = true;
    ok &= notWorse("pairwise accuracy", candidate.pairwiseAccuracy(), current.pairwiseAccuracy(), reasons);
    ok &= notWorse("best-of-n accuracy", candidate.bestOfNAccuracy(), current.bestOfNAccuracy(), reasons);
    double cm = mean(candidate.attributeMse());
    double pm = mean(current.attributeMse());
    if (!Double.isNaN(cm) && !Double.isNaN(pm)) {
      if (cm > pm + policy.mseTolerance()) {
        reasons.add(String.format("mean attribute MSE %.5f > current %.5f + tolerance %.5f", cm, pm,
            policy.mseTolerance()));
        ok = false;
      } else {
        reasons.add(String.format("mean attribute MSE %.5f vs current %.5f", cm, pm));
      }
    }
    return new PromotionDecision(ok, reasons, cand, cur);
  }

  /** Strictly above the longer-reply baseline wherever there is held-out data; nothing to compare is not a pass. */
  private static boolean beatsLengthBaseline(Evaluation candidate, List<String> reasons) {
    boolean ok = candidate.pairs() > 0 || candidate.bestOfNItems() > 0;
    if (!ok) {
      reasons.add("no held-out pairs or Best-of-N items to compare with the length baseline");
    }
    if (candidate.pairs() > 0) {
      ok &= above("pairwise accuracy", candidate.pairwiseAccuracy(), candidate.lengthBaselinePairwise(), reasons);
    }
    if (candidate.bestOfNItems() > 0) {
      ok &= above("best-of-n accuracy", candidate.bestOfNAccuracy(), candidate.lengthBaselineBestOfN(), reasons);
    }
    return ok;
  }

  private static boolean above(String name, double candidate, double baseline, List<String> reasons) {
    boolean ok = candidate > baseline;
    reasons.add(String.format("%s %.4f %s longer-reply baseline %.4f", name, candidate, ok ? ">" : "<=", baseline));
    return ok;
  }

  private boolean notWorse(String name, double candidate, double current, List<String> reasons) {
    if (Double.isNaN(candidate) || Double.isNaN(current)) {
      return true;
    }
    if (candidate < current - policy.accuracyTolerance()) {
      reasons.add(String.format("%s %.4f < current %.4f - tolerance %.4f", name, candidate, current,
          policy.accuracyTolerance()));
      return false;
    }
    reasons.add(String.format("%s %.4f vs current %.4f", name, candidate, current));
    return true;
  }

  private static double mean(Map<String, Double> values) {
    return values.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
