package io.queststream.model.api;

import io.queststream.schemas.CharacterCard;

/** The character card fields rendered into the system message. */
public record CharacterProfile(String characterId, String name, String persona, String scenario) {

  public static CharacterProfile of(CharacterCard card) {
    return new CharacterProfile(card.getCharacterId(), card.getName(), card.getPersona(), card.getScenario());
  }
}
