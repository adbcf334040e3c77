package io.queststream.streams.moderation;

import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.config.ModerationThresholds;
import io.queststream.streams.moderation.EffectiveRules.Threshold;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a scored turn needs a moderator: it does when its preference score or any attribute reward (on
 * the rating scale) is below its configured minimum, when any number of its score is NaN or infinite (a NaN compares
 * false with every threshold, so without its own rule a turn that could not be judged would pass), or when the
 * tokenizer could not read most of the reply (its embedding is then mostly unknown tokens and the score says little
 * about the text). The event lists every rule broken, not only the first, each with the policy whose threshold it
 * broke: the character's, one of its card's tags', or the global one ({@link ModerationPolicies}).
 */
public final class ModerationPolicy {

  static final String SCORE_RULE = "score";
  static final String ATTRIBUTE_RULE_PREFIX = "attribute:";
  /** The score, or a number of one attribute (reward, reward on scale, gating, coefficient), is NaN or infinite. */
  public static final String NON_FINITE_RULE = "non_finite";
  static final String UNREADABLE_RULE = "unreadable_text";
  private static final int EXCERPT_CHARS = 280;

  private final ModerationPolicies policies;

  public ModerationPolicy(ModerationPolicies policies) {
    this.policies = policies;
  }

  /**
   * @param unknownTokenShare share of the reply's tokens the tokenizer could not read
   * @param cardTags the tags of the turn's character card, in card order (empty when the card is unknown)
   */
  public Optional<ModerationEvent> evaluate(TurnScore score, String text, float unknownTokenShare,
      List<String> cardTags) {
    EffectiveRules rules = policies.rulesFor(score.getCharacterId(), cardTags);
    List<RuleViolation> violations = new ArrayList<>();
    if (!Float.isFinite(score.getScore())) {
      violations.add(new RuleViolation(NON_FINITE_RULE, null, score.getScore(), Float.NaN, EffectiveRules.GLOBAL));
    }
    Threshold unreadable = rules.unreadableMaxShare();
    if (unknownTokenShare > unreadable.value()) {
      violations.add(new RuleViolation(UNREADABLE_RULE, null, unknownTokenShare, unreadable.value(),
          unreadable.policy()));
    }
    rules.scoreMin().filter(min -> score.getScore() < min.value()).ifPresent(min -> violations.add(
        new RuleViolation(SCORE_RULE, null, score.getScore(), min.value(), min.policy())));
    for (AttributeScore a : score.getAttributes()) {
      nonFinite(a).ifPresent(v -> violations.add(
          new RuleViolation(NON_FINITE_RULE, a.getAttribute(), v, Float.NaN, EffectiveRules.GLOBAL)));
      Threshold min = rules.attributeMins().get(ModerationThresholds.slug(a.getAttribute()));
      if (min != null && a.getRewardOnScale() < min.value()) {
        violations.add(new RuleViolation(ATTRIBUTE_RULE_PREFIX + a.getAttribute(), a.getAttribute(),
            a.getRewardOnScale(), min.value(), min.policy()));
      }
    }
    if (violations.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ModerationEvent.newBuilder()
        .setTurnId(score.getTurnId())
        .setConversationId(score.getConversationId())
        .setCharacterId(score.getCharacterId())
        .setPolicyModel(score.getPolicyModel())
        .setScore(score.getScore())
        .setViolations(violations)
        .setTopK(score.getTopK())
        .setTextExcerpt(text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS))
        .setWeightsVersion(score.getWeightsVersion())
        .setBackboneId(score.getBackboneId())
        .setCreatedAt(score.getScoredAt())
        .build());
  }

  /** The first non-finite number of the attribute, if any. */
  private static Optional<Float> nonFinite(AttributeScore a) {
    for (float v : new float[] {a.getReward(), a.getRewardOnScale(), a.getGating(), a.getCoefficient()}) {
      if (!Float.isFinite(v)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
