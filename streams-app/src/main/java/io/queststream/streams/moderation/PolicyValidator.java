package io.queststream.streams.moderation;

import io.queststream.schemas.ModerationRules;
import io.queststream.streams.config.ModerationThresholds;
import io.queststream.streams.moderation.InvalidPolicyException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies a moderation-policies record before it acts: its key names it, every attribute is one the weights have,
 * every threshold is a finite number, the unreadable share lies in [0, 1]. Anyone who can write the topic can write
 * anything to it, and a bad threshold fails open (NaN passes every turn) or floods the moderators.
 */
public final class PolicyValidator {

  private final Set<String> attributeSlugs;

  public PolicyValidator(List<String> attributes) {
    this.attributeSlugs = new TreeSet<>(attributes.stream().map(ModerationThresholds::slug).toList());
  }

  public PolicyRules validate(PolicyKey key, ModerationRules r) throws InvalidPolicyException {
    if (!key.scope().tag().equals(r.getScope()) || !key.subject().equals(r.getSubject())) {
      throw new InvalidPolicyException(Reason.KEY_MISMATCH, "key " + key + " holds the policy of "
          + r.getScope() + ":" + r.getSubject());
    }
    Optional<Float> scoreMin = Optional.ofNullable(r.getScoreMin());
    if (scoreMin.isPresent()) {
      requireFinite("score_min", scoreMin.get());
    }
    Map<String, Float> attributeMins = new TreeMap<>(r.getAttributeMins());
    for (Map.Entry<String, Float> rule : attributeMins.entrySet()) {
      if (!attributeSlugs.contains(rule.getKey())) {
        throw new InvalidPolicyException(Reason.UNKNOWN_ATTRIBUTE, "attribute_mins names '" + rule.getKey()
            + "', which is no attribute of the weights; the attributes are " + String.join(", ", attributeSlugs));
      }
      requireFinite("attribute_mins." + rule.getKey(), rule.getValue());
    }
    Optional<Float> share = Optional.ofNullable(r.getUnreadableMaxShare());
    if (share.isPresent()) {
      requireFinite("unreadable_max_share", share.get());
      if (share.get() < 0 || share.get() > 1) {
        throw new InvalidPolicyException(Reason.SHARE_OUT_OF_RANGE,
            "unreadable_max_share must be between 0 and 1, was " + share.get());
      }
    }
    return new PolicyRules(key.toString(), scoreMin, attributeMins, share);
  }

  private static void requireFinite(String rule, float value) throws InvalidPolicyException {
    if (!Float.isFinite(value)) {
      throw new InvalidPolicyException(Reason.NON_FINITE_THRESHOLD, rule + " is " + value);
    }
  }
}
