package io.queststream.streams.analytics.observation;

import java.util.Optional;

/** What the analytics group turns by. The tag is the dimension's name on the output topics. */
public enum Dimension {
  POLICY_MODEL("policy_model"),
  CHARACTER("character_id");

  private final String tag;

  Dimension(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  public static Optional<Dimension> ofTag(String tag) {
    for (Dimension d : values()) {
      if (d.tag.equals(tag)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
