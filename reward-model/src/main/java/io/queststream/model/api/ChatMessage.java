package io.queststream.model.api;

import java.util.Objects;

/** One message of the conversation as the model sees it; role is system, user or assistant. */
public record ChatMessage(String role, String text) {
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
  }
}
