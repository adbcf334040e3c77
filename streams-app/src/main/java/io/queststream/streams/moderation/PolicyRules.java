package io.queststream.streams.moderation;

import java.util.Map;
import java.util.Optional;

/**
 * The verified thresholds of one moderation policy; a rule it does not set is left to the next policy in line.
 *
 * @param name how events name the policy: {@code character:<id>} or {@code tag:<tag>}
 * @param attributeMins minimums by attribute slug (character-consistency)
 */
public record PolicyRules(String name, Optional<Float> scoreMin, Map<String, Float> attributeMins,
    Optional<Float> unreadableMaxShare) {

  public PolicyRules {
    attributeMins = Map.copyOf(attributeMins);
  }
}
