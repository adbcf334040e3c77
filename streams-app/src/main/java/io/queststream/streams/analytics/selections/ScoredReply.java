package io.queststream.streams.analytics.selections;

import io.queststream.schemas.TurnScore;

/** A scored assistant turn that answers a parent turn: a candidate of that parent's selection. */
public record ScoredReply(String turnId, String conversationId, String parentTurnId, long createdAtMs) {

  public static ScoredReply of(TurnScore s) {
    return new ScoredReply(s.getTurnId(), s.getConversationId(), s.getParentTurnId(),
        s.getTurnCreatedAt().toEpochMilli());
  }
}
