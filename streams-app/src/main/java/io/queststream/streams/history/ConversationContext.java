package io.queststream.streams.history;

import java.util.List;

/**
 * The messages an assistant turn answers, oldest first.
 *
 * @param truncated older messages of the conversation were dropped to respect the history bounds
 * @param parentMissing the turn named a parent that is no longer (or never was) in the history; the whole kept
 *     history was used instead
 */
public record ConversationContext(List<HistoryMessage> messages, boolean truncated, boolean parentMissing) {
  public ConversationContext {
    messages = List.copyOf(messages);
  }
}
