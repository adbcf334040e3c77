package io.queststream.streams.analytics.leaderboard;

import io.queststream.streams.analytics.observation.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one window holds for one policy model or character: scores counted with their running statistics (preference
 * score and each attribute, attributes in the order the weights list them), moderation events counted, and the
 * weights versions seen. The window store keeps it as JSON; {@link #add} returns the next value.
 */
public record KeyStats(long count, long moderated, RunningStats score, Map<String, RunningStats> attributes,
    List<Long> weightsVersions) {

  public static KeyStats empty() {
    return new KeyStats(0, 0, RunningStats.EMPTY, Map.of(), List.of());
  }

  public KeyStats add(Observation o) {
    if (o.moderation()) {
      return new KeyStats(count, moderated + 1, score, attributes, weightsVersions);
    }
    Map<String, RunningStats> next = new LinkedHashMap<>(attributes);
    for (Observation.AttributeValue a : o.attributes()) {
      next.put(a.attribute(), next.getOrDefault(a.attribute(), RunningStats.EMPTY).add(a.value()));
    }
    List<Long> versions = weightsVersions;
    long version = o.ref().weightsVersion();
    if (!versions.contains(version)) {
      versions = new ArrayList<>(versions);
      versions.add(version);
      versions.sort(null);
    }
    return new KeyStats(count + 1, moderated, score.add(o.score()), next, versions);
  }
}
