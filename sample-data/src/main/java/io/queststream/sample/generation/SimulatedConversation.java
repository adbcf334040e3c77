package io.queststream.sample.generation;

import io.queststream.sample.ConstructedQuality;
import io.queststream.schemas.ChatTurn;
import java.util.ArrayList;
import java.util.List;

/** A generated conversation with the construction facts the labels are derived from. */
record SimulatedConversation(String conversationId, String userId, List<Exchange> exchanges) {

  /** One assistant reply and how it was built. */
  record Reply(ChatTurn turn, ConstructedQuality quality) {
  }

  /** A user turn, every reply generated for it (regenerations share it as parent) and the reply the user kept. */
  record Exchange(ChatTurn userTurn, List<Reply> replies, Reply kept) {
  }

  List<ChatTurn> turnsInOrder() {
    List<ChatTurn> turns = new ArrayList<>();
    for (Exchange exchange : exchanges) {
      turns.add(exchange.userTurn());
      exchange.replies().forEach(reply -> turns.add(reply.turn()));
    }
    return turns;
  }
}
