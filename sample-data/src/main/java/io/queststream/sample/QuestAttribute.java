package io.queststream.sample;

import io.queststream.schemas.weights.WeightsContract;
import java.util.Arrays;

/**
 * The six QUEST roleplay attributes the sample data is built and labelled on, in the weights contract's order. The
 * labels are the attribute names written into {@code AttributeRating.ratings}, exactly as the reward heads name
 * their objectives.
 */
public enum QuestAttribute {
  CONTEXTUAL_ALIGNMENT,
  CHARACTER_CONSISTENCY,
  DESCRIPTIVE_DEPTH,
  ROLE_SPECIFIC_KNOWLEDGE,
  ENGAGEMENT_AND_COLLABORATION,
  CREATIVITY_AND_EMOTIONAL_NUANCE;

  /** The attribute name as it appears in rating records. */
  public String label() {
    return WeightsContract.QUEST_ATTRIBUTES.get(ordinal());
  }

  public static QuestAttribute fromLabel(String label) {
    return Arrays.stream(values())
        .filter(attribute -> attribute.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown QUEST attribute: '" + label + "'"));
  }
}
