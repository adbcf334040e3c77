package io.queststream.model.config;

/**
 * How a span of hidden states becomes one embedding. Decoder reward models read the last token of each span (the
 * token that closes the turn); encoders average over the span.
 */
public enum Pooling {
  MEAN("mean"),
  LAST_TOKEN("last_token");

  private final String id;

  Pooling(String id) {
    this.id = id;
  }

  /** The name written into weights records (RewardHeads.pooling). */
  public String id() {
    return id;
  }

  public static Pooling parse(String text) {
    for (Pooling p : values()) {
      if (p.id.equalsIgnoreCase(text.trim()) || p.name().equalsIgnoreCase(text.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("pooling must be mean or last_token, was '" + text + "'");
  }
}
