package io.queststream.demo.dashboard;

import io.queststream.schemas.ModerationRules;
import io.queststream.schemas.PreferencePair;
import io.queststream.streams.config.Settings;
import io.queststream.streams.moderation.InvalidPolicyException;
import io.queststream.streams.moderation.PolicyKey;
import io.queststream.streams.moderation.PolicyRules;
import io.queststream.streams.moderation.PolicyValidator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Selections among regenerations and the preference pairs the analytics derived from them, and the moderation
 * policies in force. A policy record is verified as the streams app does (with the default attributes) before it
 * counts, so a refused record shows as a dead letter here too and the policy before it stays on the page.
 */
final class SwipesAndPolicies {

  private final PolicyValidator validator = new PolicyValidator(
      Arrays.stream(Settings.WEIGHTS_ATTRIBUTES.defaultValue().split(",")).map(String::trim).toList());
  private final Map<String, PolicyRules> policies = new TreeMap<>();
  private final Map<String, Long> refusedByReason = new TreeMap<>();
  private long selections;
  private long swipePairs;

  synchronized void onSelection() {
    selections++;
  }

  synchronized void onPreference(Object record) {
    if (record instanceof PreferencePair p && p.getSelectionId() != null) {
      swipePairs++;
    }
  }

  synchronized void onSelectionRefused(String reason) {
    refusedByReason.merge(reason, 1L, Long::sum);
  }

  /** A record of the policies topic: installed, replaced or (tombstone) removed; a refused one changes nothing. */
  synchronized void onPolicy(String key, ModerationRules rules) {
    try {
      PolicyKey k = PolicyKey.parse(key);
      if (rules == null) {
        policies.remove(k.toString());
      } else {
        policies.put(k.toString(), validator.validate(k, rules));
      }
    } catch (InvalidPolicyException refused) {
      // The streams app dead-letters it; the dashboard shows that dead letter and keeps the policy before it.
    }
  }

  synchronized Map<String, Object> snapshot() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("selections", selections);
    s.put("swipePairs", swipePairs);
    s.put("selectionsRefused", new TreeMap<>(refusedByReason));
    List<Map<String, Object>> rows = policies.values().stream().map(p -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("policy", p.name());
      row.put("scoreMin", p.scoreMin().orElse(null));
      row.put("attributeMins", new TreeMap<>(p.attributeMins()));
      row.put("unreadableMaxShare", p.unreadableMaxShare().orElse(null));
      return row;
    }).toList();
    s.put("policies", rows);
    return s;
  }
}
