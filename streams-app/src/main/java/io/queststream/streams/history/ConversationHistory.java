package io.queststream.streams.history;

import io.queststream.streams.config.HistoryConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A conversation's recent messages in arrival order, bounded by message count and tokens (oldest dropped first).
 * Immutable: every change returns a new value that is written back to the store.
 *
 * <p>Context follows parent links: a turn answering P is scored against P, P's parent, and so on. Regenerated
 * alternatives share a parent, so each is scored against the same context and none sees its siblings; a user turn
 * that continues one alternative links to it and brings only that one into later contexts. A message without a
 * parent link is preceded by the message that arrived before it, so producers that do not link turns get plain
 * chronological history.
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
    boolean truncated = droppedMessages > 0;
    if (parentTurnId == null) {
      return new ConversationContext(messages, truncated, false);
    }
    int at = indexOf(parentTurnId);
    if (at < 0) {
      return new ConversationContext(messages, truncated, true);
    }
    List<HistoryMessage> chain = new ArrayList<>();
    while (at >= 0) {
      HistoryMessage m = messages.get(at);
      chain.add(m);
      at = m.parentTurnId() == null ? at - 1 : indexOf(m.parentTurnId(), at);
    }
    Collections.reverse(chain);
    return new ConversationContext(chain, truncated, false);
  }

  /** Appends a message, dropping the oldest while the bounds are exceeded (the newest always stays). */
  public ConversationHistory append(HistoryMessage message, long nowMs, HistoryConfig limits) {
    List<HistoryMessage> next = new ArrayList<>(messages);
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
    return indexOf(turnId, messages.size());
  }

  /** Latest position of the turn before `before` (a parent arrives before its children), or -1. */
  private int indexOf(String turnId, int before) {
    for (int i = before - 1; i >= 0; i--) {
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
