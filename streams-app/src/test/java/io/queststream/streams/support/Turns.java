package io.queststream.streams.support;

import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import java.time.Instant;
import java.util.List;

/** Builders of chat turns and cards for tests. */
public final class Turns {

  private Turns() {}

  public static ChatTurn user(String conversation, String turnId, String text) {
    return turn(conversation, turnId, "user", text, null);
  }

  public static ChatTurn system(String conversation, String turnId, String text) {
    return turn(conversation, turnId, "system", text, null);
  }

  public static ChatTurn assistant(String conversation, String turnId, String text, String parent) {
    return turn(conversation, turnId, "assistant", text, parent);
  }

  public static ChatTurn turn(String conversation, String turnId, String role, String text, String parent) {
    return ChatTurn.newBuilder()
        .setTurnId(turnId)
        .setConversationId(conversation)
        .setRole(role)
        .setText(text)
        .setCharacterId("innkeeper")
        .setPolicyModel("policy-a")
        .setParentTurnId(parent)
        .setCreatedAt(Instant.ofEpochMilli(1_000))
        .build();
  }

  public static CharacterCard innkeeper() {
    return CharacterCard.newBuilder()
        .setCharacterId("innkeeper")
        .setName("Mara")
        .setPersona("A weary but kind innkeeper at the crossroads.")
        .setScenario("A storm has trapped travellers at the inn.")
        .setTags(List.of("fantasy"))
        .setUpdatedAt(Instant.ofEpochMilli(0))
        .build();
  }
}
