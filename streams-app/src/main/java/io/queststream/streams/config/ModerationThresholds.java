package io.queststream.streams.config;

import io.queststream.config.ConfigException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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

  /** No rule but the ones no configuration switches off (non-finite scores); no reply is unreadable enough. */
  public static ModerationThresholds none() {
    return new ModerationThresholds(Optional.empty(), Map.of(), 1f);
  }

  /** "Character Consistency" becomes character-consistency, the form used in configuration keys. */
  public static String slug(String attribute) {
    return attribute.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }

  /**
   * Refuses a rule for an attribute the weights do not have: it could never fire, so a typo, or weights that renamed
   * the attribute, would switch the rule off without a word.
   */
  void requireKnownAttributes(List<String> attributes) {
    Set<String> known = new TreeSet<>(attributes.stream().map(ModerationThresholds::slug).toList());
    for (String rule : new TreeSet<>(attributeMins.keySet())) {
      if (!known.contains(rule)) {
        throw new ConfigException("moderation.attribute." + rule + ".min names no attribute of "
            + Settings.WEIGHTS_ATTRIBUTES.key() + "; the attributes are " + String.join(", ", known));
      }
    }
  }
}
