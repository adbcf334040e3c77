package io.queststream.streams.config;

import java.util.Map;
import java.util.Optional;

/**
 * Moderation rules: a minimum preference score and minimum attribute rewards on the rating scale, keyed by the
 * attribute's slug (kebab case of its name, so that "Character Consistency" is character-consistency), and the
 * largest share of a reply the tokenizer may fail to read before the reply is flagged as unreadable.
 */
public record ModerationThresholds(Optional<Float> scoreMin, Map<String, Float> attributeMins,
    float unreadableMaxShare) {
  public ModerationThresholds {
    attributeMins = Map.copyOf(attributeMins);
    if (!(unreadableMaxShare >= 0 && unreadableMaxShare <= 1)) {
      throw new ConfigException("moderation.unreadable-max-share must be between 0 and 1, was " + unreadableMaxShare);
    }
  }
}
