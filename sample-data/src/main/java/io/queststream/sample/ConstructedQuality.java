package io.queststream.sample;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quality an assistant reply was built with: one level per attribute, or a degenerate reply (spam, refusal,
 * insult) that is worthless on every attribute. This is the ground truth the labels are derived from.
 *
 * <p>True score of an attribute = the level's {@link QualityLevel#trueScore()} (2.5, 5.5 or 8.5 on the 1-10
 * scale), or {@value #DEGENERATE_SCORE} for a degenerate reply. Overall quality = mean of the six true scores.
 */
public record ConstructedQuality(Map<QuestAttribute, QualityLevel> levels, boolean degenerate) {

  public static final double DEGENERATE_SCORE = 1.0;

  public ConstructedQuality {
    if (levels.size() != QuestAttribute.values().length) {
      throw new IllegalArgumentException("A level is needed for every attribute, got " + levels.keySet());
    }
    levels = Collections.unmodifiableMap(new EnumMap<>(levels));
  }

  public QualityLevel level(QuestAttribute attribute) {
    return levels.get(attribute);
  }

  public double trueScore(QuestAttribute attribute) {
    return degenerate ? DEGENERATE_SCORE : levels.get(attribute).trueScore();
  }

  /** True score per attribute label, in attribute order, the way ratings name them. */
  public Map<String, Double> trueScores() {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (QuestAttribute attribute : QuestAttribute.values()) {
      scores.put(attribute.label(), trueScore(attribute));
    }
    return Collections.unmodifiableMap(scores);
  }

  public double overall() {
    double sum = 0;
    for (QuestAttribute attribute : QuestAttribute.values()) {
      sum += trueScore(attribute);
    }
    return sum / QuestAttribute.values().length;
  }
}
