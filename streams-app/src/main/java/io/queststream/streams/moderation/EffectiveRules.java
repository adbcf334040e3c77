package io.queststream.streams.moderation;

import java.util.Map;
import java.util.Optional;

/**
 * The thresholds that apply to one turn, each with the policy it comes from: the character's own policy, else the
 * first of its card's tags whose policy sets that rule, else the app's global settings.
 *
 * @param attributeMins by attribute slug
 */
public record EffectiveRules(Optional<Threshold> scoreMin, Map<String, Threshold> attributeMins,
    Threshold unreadableMaxShare) {

  /** The name of the rules from the app's settings, in events. */
  public static final String GLOBAL = "global";

  /** One threshold and the policy that set it ({@value #GLOBAL}, character:ID or tag:TAG). */
  public record Threshold(float value, String policy) {}

  public EffectiveRules {
    attributeMins = Map.copyOf(attributeMins);
  }
}
