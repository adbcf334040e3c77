package io.queststream.streams.moderation;

import io.queststream.streams.config.ModerationThresholds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation policies in force: the global thresholds from the app's settings and the verified per-character and
 * per-tag policies from the policies topic. The global thread installs and removes policies; the stream threads look
 * up the rules of each turn. A policy overrides the global rules one by one: a rule it does not set falls through to
 * the next policy in line (character, then the card's tags in card order, then global).
 */
public final class ModerationPolicies {

  private static final Logger LOG = LoggerFactory.getLogger(ModerationPolicies.class);

  private final ModerationThresholds global;
  private final Map<PolicyKey, PolicyRules> policies = new ConcurrentHashMap<>();

  public ModerationPolicies(ModerationThresholds global) {
    this.global = global;
  }

  public void install(PolicyKey key, PolicyRules rules) {
    PolicyRules before = policies.put(key, rules);
    LOG.info("Moderation policy {} {}: {}", key, before == null ? "installed" : "replaced", rules);
  }

  public void remove(PolicyKey key) {
    if (policies.remove(key) != null) {
      LOG.info("Moderation policy {} removed; its rules fall back to the next policy", key);
    }
  }

  /** Every policy in force by name, for metrics and the dashboard. */
  public SortedMap<String, PolicyRules> inForce() {
    SortedMap<String, PolicyRules> view = new TreeMap<>();
    policies.forEach((k, v) -> view.put(k.toString(), v));
    return view;
  }

  /**
   * @param characterId the turn's character, null when it names none
   * @param tags its card's tags in card order (empty when the card is unknown)
   */
  public EffectiveRules rulesFor(String characterId, List<String> tags) {
    List<PolicyRules> chain = new ArrayList<>();
    if (characterId != null) {
      Optional.ofNullable(policies.get(PolicyKey.character(characterId))).ifPresent(chain::add);
    }
    for (String tag : tags) {
      Optional.ofNullable(policies.get(PolicyKey.tag(tag))).ifPresent(chain::add);
    }
    Optional<EffectiveRules.Threshold> scoreMin = chain.stream().filter(p -> p.scoreMin().isPresent()).findFirst()
        .map(p -> new EffectiveRules.Threshold(p.scoreMin().get(), p.name()))
        .or(() -> global.scoreMin().map(v -> new EffectiveRules.Threshold(v, EffectiveRules.GLOBAL)));
    Map<String, EffectiveRules.Threshold> attributeMins = new HashMap<>();
    global.attributeMins().forEach((slug, v) -> attributeMins.put(slug,
        new EffectiveRules.Threshold(v, EffectiveRules.GLOBAL)));
    for (int i = chain.size() - 1; i >= 0; i--) {
      PolicyRules p = chain.get(i);
      p.attributeMins().forEach((slug, v) -> attributeMins.put(slug, new EffectiveRules.Threshold(v, p.name())));
    }
    EffectiveRules.Threshold unreadable = chain.stream().filter(p -> p.unreadableMaxShare().isPresent()).findFirst()
        .map(p -> new EffectiveRules.Threshold(p.unreadableMaxShare().get(), p.name()))
        .orElse(new EffectiveRules.Threshold(global.unreadableMaxShare(), EffectiveRules.GLOBAL));
    return new EffectiveRules(scoreMin, attributeMins, unreadable);
  }
}
