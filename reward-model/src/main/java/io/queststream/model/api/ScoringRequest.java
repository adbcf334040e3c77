package io.queststream.model.api;

import java.util.List;
import java.util.Objects;

/**
 * An assistant response to score in its context.
 *
 * @param character the character card, or null when it is unknown (scored without a system message)
 * @param history earlier messages, oldest first, not including the response
 * @param userName the user's persona name, which {@code {{user}}} in the card and the messages stands for; null
 *     or blank means "User"
 */
public record ScoringRequest(String turnId, CharacterProfile character, List<ChatMessage> history, String response,
    String userName) {

  public ScoringRequest {
    Objects.requireNonNull(turnId, "turnId");
    Objects.requireNonNull(response, "response");
    history = List.copyOf(history);
  }

  /** A request whose user has no persona name. */
  public ScoringRequest(String turnId, CharacterProfile character, List<ChatMessage> history, String response) {
    this(turnId, character, history, response, null);
  }
}
