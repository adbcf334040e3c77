package io.queststream.sample;

import java.util.Arrays;

/**
 * The six QUEST roleplay attributes the sample data is built and labelled on. The labels are the attribute names
 * written into {@code AttributeRating.ratings}, exactly as the reward heads name their objectives.
 */
public enum QuestAttribute {
  CONTEXTUAL_ALIGNMENT("Contextual Alignment"),
  CHARACTER_CONSISTENCY("Character Consistency"),
  DESCRIPTIVE_DEPTH("Descriptive Depth"),
  ROLE_SPECIFIC_KNOWLEDGE("Role-Specific Knowledge"),
  ENGAGEMENT_AND_COLLABORATION("Engagement and Collaboration"),
  CREATIVITY_AND_EMOTIONAL_NUANCE("Creativity and Emotional Nuance");

  private final String label;

  QuestAttribute(String label) {
    this.label = label;
  }

  /** The attribute name as it appears in rating records. */
  public String label() {
    return label;
  }

  public static QuestAttribute fromLabel(String label) {
    return Arrays.stream(values())
        .filter(attribute -> attribute.label.equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown QUEST attribute: '" + label + "'"));
  }
}
