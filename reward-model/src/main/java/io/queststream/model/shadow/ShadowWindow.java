package io.queststream.model.shadow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The turns one candidate version has shadowed, and how far it agrees with the serving version on them: over all
 * turns, per character and per policy model (docs/shadow.md). Not thread-safe.
 */
public final class ShadowWindow {

  /** The whole window's agreement and its breakdowns, keyed by character id and by policy model. */
  public record Summary(long candidateVersion, Agreement overall, Map<String, Agreement> byCharacter,
      Map<String, Agreement> byPolicyModel) {}

  /** Turns without a character or policy model are grouped under this key in the breakdowns. */
  public static final String NONE = "(none)";

  private final long candidateVersion;
  private final List<ShadowPair> pairs = new ArrayList<>();

  public ShadowWindow(long candidateVersion) {
    this.candidateVersion = candidateVersion;
  }

  public long candidateVersion() {
    return candidateVersion;
  }

  public void add(ShadowPair pair) {
    if (!pairs.isEmpty() && !pairs.get(0).attributes().equals(pair.attributes())) {
      throw new IllegalArgumentException("turn " + pair.turnId() + " has attributes " + pair.attributes()
          + ", the window " + pairs.get(0).attributes());
    }
    pairs.add(pair);
  }

  public int turns() {
    return pairs.size();
  }

  public Summary summary() {
    Map<String, List<ShadowPair>> byCharacter = new TreeMap<>();
    Map<String, List<ShadowPair>> byPolicy = new TreeMap<>();
    for (ShadowPair p : pairs) {
      byCharacter.computeIfAbsent(orNone(p.characterId()), k -> new ArrayList<>()).add(p);
      byPolicy.computeIfAbsent(orNone(p.policyModel()), k -> new ArrayList<>()).add(p);
    }
    return new Summary(candidateVersion, agreement(pairs), agreements(byCharacter), agreements(byPolicy));
  }

  private static String orNone(String key) {
    return key == null || key.isEmpty() ? NONE : key;
  }

  private static Map<String, Agreement> agreements(Map<String, List<ShadowPair>> groups) {
    Map<String, Agreement> out = new TreeMap<>();
    groups.forEach((k, v) -> out.put(k, agreement(v)));
    return out;
  }

  /** The agreement of one group of turns. */
  public static Agreement agreement(List<ShadowPair> group) {
    int n = group.size();
    List<String> names = n == 0 ? List.of() : group.get(0).attributes();
    List<Agreement.AttributeAgreement> attributes = new ArrayList<>(names.size());
    for (int a = 0; a < names.size(); a++) {
      double[] serving = new double[n];
      double[] candidate = new double[n];
      double shift = 0;
      for (int i = 0; i < n; i++) {
        serving[i] = group.get(i).servingAttributes()[a];
        candidate[i] = group.get(i).candidateAttributes()[a];
        shift += candidate[i] - serving[i];
      }
      attributes.add(new Agreement.AttributeAgreement(names.get(a), Correlation.pearson(serving, candidate),
          shift / n));
    }
    double[] servingScores = new double[n];
    double[] candidateScores = new double[n];
    double scoreShift = 0;
    long flips = 0;
    long newlyFlagged = 0;
    for (int i = 0; i < n; i++) {
      ShadowPair p = group.get(i);
      servingScores[i] = p.servingScore();
      candidateScores[i] = p.candidateScore();
      scoreShift += p.candidateScore() - p.servingScore();
      if (p.flips()) {
        flips++;
        if (p.candidateFlagged()) {
          newlyFlagged++;
        }
      }
    }
    return new Agreement(n, List.copyOf(attributes), Correlation.spearman(servingScores, candidateScores),
        n == 0 ? 0 : scoreShift / n, flips, newlyFlagged);
  }
}
