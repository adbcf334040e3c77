package io.queststream.model.api;

import java.util.List;
import java.util.Objects;

/**
 * An assistant response to score in its context.
 *
 * @param character the character card, or null when it is unknown (scored without a system message)
 * @param history earlier messages, oldest first, not including the response
 */
public record ScoringRequest(String turnId, CharacterProfile character, List<ChatMessage> history, String response) {
  public ScoringRequest {
    Objects.requireNonNull(turnId, "turnId");
    Objects.requireNonNull(response, "response");
    history = List.copyOf(history);
  }
}
