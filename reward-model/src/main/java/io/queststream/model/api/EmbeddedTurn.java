package io.queststream.model.api;

import java.util.Set;

/**
 * Backbone output for one request, before any heads: what the trainer learns from.
 *
 * @param truncation what was cut or split to fit the turn to the backbone (empty: read whole)
 */
public record EmbeddedTurn(
    String turnId,
    float[] promptEmbedding,
    float[] responseEmbedding,
    int promptTokens,
    int responseTokens,
    Set<Truncation> truncation) {

  public EmbeddedTurn {
    truncation = Truncation.ordered(truncation);
  }

  /** Anything of the turn was cut or split to fit the backbone. */
  public boolean truncated() {
    return !truncation.isEmpty();
  }
}
