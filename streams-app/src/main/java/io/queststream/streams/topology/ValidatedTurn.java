package io.queststream.streams.topology;

import io.queststream.schemas.ChatTurn;

/** A chat turn and the rule it broke, if any. */
public record ValidatedTurn(ChatTurn turn, TurnRejection rejection) {

  public boolean rejected() {
    return rejection != null;
  }
}
