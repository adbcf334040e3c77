package io.queststream.streams.history;

import io.queststream.model.api.CharacterProfile;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;

/**
 * An assistant turn with everything needed to score it.
 *
 * @param character the card's profile, null when the turn names no character or the card is unknown
 */
public record ScoringTask(ChatTurn turn, ConversationContext context, CharacterProfile character) {

  public ScoringTask withCard(CharacterCard card) {
    return new ScoringTask(turn, context, card == null ? null : CharacterProfile.of(card));
  }

  public boolean characterMissing() {
    return character == null;
  }
}
