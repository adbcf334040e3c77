package io.queststream.streams.topology;

import io.queststream.streams.config.HistoryConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation's recent messages, bounded by message count and tokens (oldest dropped first). Immutable: every
 * change returns a new value that is written back to the store.
 *
 * <p>Regenerations: an assistant turn that answers parent P is scored against the history up to and including P,
 * never against its sibling alternatives. Once scored it becomes the live branch: messages after P are replaced by
 * it, as a chat client shows the latest regeneration.
 *
 * @param droppedMessages how many messages the bounds have dropped so far
 * @param lastActivityMs wall-clock time of the last message, for idle expiry
 */
public record ConversationHistory(List<HistoryMessage> messages, int droppedMessages, long lastActivityMs) {

  public ConversationHistory {
    messages = List.copyOf(messages);
  }

  public static ConversationHistory empty() {
    return new ConversationHistory(List.of(), 0, 0);
  }

  /** The context for a turn that answers parentTurnId (the whole history when null or not found). */
  public ConversationContext contextFor(String parentTurnId) {
    int parent = indexOf(parentTurnId);
    boolean truncated = droppedMessages > 0;
    if (parentTurnId == null) {
      return new ConversationContext(messages, truncated, false);
    }
    if (parent < 0) {
      return new ConversationContext(messages, truncated, true);
    }
    return new ConversationContext(messages.subList(0, parent + 1), truncated, false);
  }

  /** Appends a message; an assistant turn with a known parent replaces what followed the parent. */
  public ConversationHistory append(HistoryMessage message, String parentTurnId, long nowMs, HistoryConfig limits) {
    List<HistoryMessage> next = new ArrayList<>(messages);
    int parent = indexOf(parentTurnId);
    if (parent >= 0) {
      next.subList(parent + 1, next.size()).clear();
    }
    next.add(message);
    int dropped = droppedMessages;
    while (next.size() > 1 && (next.size() > limits.maxTurns() || tokens(next) > limits.maxTokens())) {
      next.remove(0);
      dropped++;
    }
    return new ConversationHistory(next, dropped, nowMs);
  }

  public boolean idleSince(long nowMs, long idleMs) {
    return nowMs - lastActivityMs >= idleMs;
  }

  private int indexOf(String turnId) {
    if (turnId == null) {
      return -1;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).turnId().equals(turnId)) {
        return i;
      }
    }
    return -1;
  }

  private static int tokens(List<HistoryMessage> ms) {
    int sum = 0;
    for (HistoryMessage m : ms) {
      sum += m.tokens();
    }
    return sum;
  }
}
