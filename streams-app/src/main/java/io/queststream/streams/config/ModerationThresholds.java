package io.queststream.streams.config;

import java.util.Map;
import java.util.Optional;

/**
 * Moderation rules: a minimum preference score and minimum attribute rewards on the rating scale, keyed by the
 * attribute's slug (kebab case of its name, so that "Character Consistency" is character-consistency).
 */
public record ModerationThresholds(Optional<Float> scoreMin, Map<String, Float> attributeMins) {
  public ModerationThresholds {
    attributeMins = Map.copyOf(attributeMins);
  }

  public static ModerationThresholds none() {
    return new ModerationThresholds(Optional.empty(), Map.of());
  }
}
