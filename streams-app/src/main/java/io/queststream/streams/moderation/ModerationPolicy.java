package io.queststream.streams.moderation;

import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.config.ModerationThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a scored turn needs a moderator: it does when its preference score or any attribute reward (on
 * the rating scale) is below its configured minimum, or when the tokenizer could not read most of the reply (its
 * embedding is then mostly unknown tokens and the score says little about the text). The event lists every rule
 * broken, not only the first.
 */
public final class ModerationPolicy {

  static final String SCORE_RULE = "score";
  static final String ATTRIBUTE_RULE_PREFIX = "attribute:";
  static final String UNREADABLE_RULE = "unreadable_text";
  private static final int EXCERPT_CHARS = 280;

  private final ModerationThresholds thresholds;

  public ModerationPolicy(ModerationThresholds thresholds) {
    this.thresholds = thresholds;
  }

  /**
   * @param unknownTokenShare share of the reply's tokens the tokenizer could not read
   */
  public Optional<ModerationEvent> evaluate(TurnScore score, String text, float unknownTokenShare) {
    List<RuleViolation> violations = new ArrayList<>();
    if (unknownTokenShare > thresholds.unreadableMaxShare()) {
      violations.add(new RuleViolation(UNREADABLE_RULE, null, unknownTokenShare, thresholds.unreadableMaxShare()));
    }
    thresholds.scoreMin().filter(min -> score.getScore() < min)
        .ifPresent(min -> violations.add(new RuleViolation(SCORE_RULE, null, score.getScore(), min)));
    for (AttributeScore a : score.getAttributes()) {
      Float min = thresholds.attributeMins().get(slug(a.getAttribute()));
      if (min != null && a.getRewardOnScale() < min) {
        violations.add(new RuleViolation(ATTRIBUTE_RULE_PREFIX + a.getAttribute(), a.getAttribute(),
            a.getRewardOnScale(), min));
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

  /** "Character Consistency" becomes character-consistency, the form used in configuration keys. */
  public static String slug(String attribute) {
    return attribute.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
