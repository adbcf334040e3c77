package io.queststream.demo.traffic;

import io.queststream.schemas.ChatTurn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The malformed input a live platform sends sooner or later; the pipeline must dead-letter each with a cause. */
final class BadRecords {

  enum Kind { NOT_AVRO, EMPTY_TEXT, UNKNOWN_ROLE, MISSING_CONVERSATION_ID, OVERSIZED_TEXT }

  private BadRecords() {}

  static byte[] notAvro(long n) {
    return ("{\"oops\": \"this is JSON, not an Avro frame\", \"n\": " + n + "}").getBytes(StandardCharsets.UTF_8);
  }

  static ChatTurn turn(Kind kind, String conversationId, long n, String characterId) {
    ChatTurn.Builder b = ChatTurn.newBuilder()
        .setTurnId("bad-" + kind.name().toLowerCase() + "-" + n)
        .setConversationId(conversationId)
        .setRole("assistant")
        .setText("A perfectly ordinary reply.")
        .setCharacterId(characterId)
        .setCreatedAt(Instant.now());
    switch (kind) {
      case EMPTY_TEXT -> b.setText("   ");
      case UNKNOWN_ROLE -> b.setRole("narrator");
      case MISSING_CONVERSATION_ID -> b.setConversationId("");
      case OVERSIZED_TEXT -> b.setText("word ".repeat(60_000));
      default -> throw new IllegalArgumentException(kind + " is not an Avro turn");
    }
    return b.build();
  }
}
