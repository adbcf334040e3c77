package io.queststream.demo.dashboard;

import io.queststream.model.shadow.Agreement;
import io.queststream.model.shadow.ShadowPair;
import io.queststream.model.shadow.ShadowWindow;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shadow rollout as the dashboard shows it (docs/shadow.md): the candidate shadowed now, its window against the
 * serving version (per attribute, per character, per policy model), and the decisions taken on earlier candidates.
 */
final class ShadowView {

  private static final int DECISIONS_KEPT = 10;

  private RewardHeads candidate;
  private ShadowWindow window;
  private final Deque<Map<String, Object>> decisions = new ArrayDeque<>();

  /** A candidate record read from the weights topic: a new window starts. */
  synchronized void onCandidate(RewardHeads heads) {
    candidate = heads;
    window = new ShadowWindow(heads.getVersion());
  }

  /** A tombstone under the candidate key: the candidate was promoted or discarded, with the reasons. */
  synchronized void onWithdrawn(String decision, String version, String reasons) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("version", version);
    row.put("decision", decision);
    row.put("reasons", reasons == null || reasons.isEmpty() ? List.of() : List.of(reasons.split("\n")));
    row.put("turns", window == null ? 0 : window.turns());
    decisions.addFirst(row);
    while (decisions.size() > DECISIONS_KEPT) {
      decisions.removeLast();
    }
    candidate = null;
  }

  synchronized void onShadowScore(ShadowScore s) {
    if (window != null && candidate != null && s.getCandidateVersion() == window.candidateVersion()
        && s.getScoredAt().toEpochMilli() >= candidate.getCreatedAt().toEpochMilli()) {
      window.add(ShadowPair.of(s));
    }
  }

  synchronized Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("candidate", candidate == null ? null : candidate.getVersion());
    out.put("parent", candidate == null ? null : candidate.getParentVersion());
    if (candidate != null && window != null) {
      ShadowWindow.Summary s = window.summary();
      out.put("overall", agreement(s.overall()));
      out.put("byCharacter", agreements(s.byCharacter()));
      out.put("byPolicyModel", agreements(s.byPolicyModel()));
    }
    out.put("decisions", new ArrayList<>(decisions));
    return out;
  }

  private static Map<String, Object> agreements(Map<String, Agreement> groups) {
    Map<String, Object> out = new LinkedHashMap<>();
    groups.forEach((k, a) -> out.put(k, agreement(a)));
    return out;
  }

  private static Map<String, Object> agreement(Agreement a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("turns", a.turns());
    m.put("rankCorrelation", finiteOrNull(a.scoreRankCorrelation()));
    m.put("scoreShift", a.scoreMeanShift());
    m.put("flips", a.flips());
    m.put("flipRate", a.flipRate());
    List<Map<String, Object>> attributes = new ArrayList<>();
    for (Agreement.AttributeAgreement x : a.attributes()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("attribute", x.attribute());
      row.put("correlation", finiteOrNull(x.correlation()));
      row.put("meanShift", x.meanShift());
      attributes.add(row);
    }
    m.put("attributes", attributes);
    return m;
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
