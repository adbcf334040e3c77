package io.queststream.streams.analytics.selections;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scored replies to one parent turn (turn id to creation time) and, once made, the selection among them with
 * the replies already paired against it.
 *
 * @param lastSeenMs wall-clock time of the last reply or selection, for expiry
 */
public record ParentReplies(String conversationId, Map<String, Long> replies, SelectionRecord selection,
    Set<String> paired, long lastSeenMs) {

  public ParentReplies {
    replies = new LinkedHashMap<>(replies);
    paired = new LinkedHashSet<>(paired);
  }

  public static ParentReplies empty(String conversationId) {
    return new ParentReplies(conversationId, Map.of(), null, Set.of(), 0);
  }

  public ParentReplies withReply(ScoredReply reply, long nowMs) {
    Map<String, Long> next = new LinkedHashMap<>(replies);
    next.put(reply.turnId(), reply.createdAtMs());
    return new ParentReplies(conversationId, next, selection, paired, nowMs);
  }

  public ParentReplies withSelection(SelectionRecord s, long nowMs) {
    return new ParentReplies(conversationId, replies, s, Set.of(), nowMs);
  }

  /**
   * The replies the selection discarded that have no pair yet: every other reply written no later than the selection
   * (a reply written after it was never shown to the user).
   */
  public List<String> unpairedDiscarded() {
    if (selection == null) {
      return List.of();
    }
    return replies.entrySet().stream()
        .filter(e -> !e.getKey().equals(selection.chosenTurnId()) && !paired.contains(e.getKey())
            && e.getValue() <= selection.createdAtMs())
        .map(Map.Entry::getKey).toList();
  }

  public ParentReplies withPaired(List<String> turnIds) {
    Set<String> next = new LinkedHashSet<>(paired);
    next.addAll(turnIds);
    return new ParentReplies(conversationId, replies, selection, next, lastSeenMs);
  }

  public boolean expired(long nowMs, long retentionMs) {
    return nowMs - lastSeenMs >= retentionMs;
  }
}
