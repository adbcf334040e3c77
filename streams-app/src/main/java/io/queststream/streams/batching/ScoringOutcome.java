package io.queststream.streams.batching;

import io.queststream.model.api.RewardResult;
import io.queststream.schemas.ChatTurn;

/**
 * What the model made of one assistant turn: a result, or the failure that turn met on its own.
 *
 * @param historyTruncated the conversation's history had been cut to its bounds before this turn
 * @param recordTimestamp timestamp of the chat-turns record
 * @param scoredAtMs wall-clock time the outcome was forwarded
 * @param source where the turn was read from (null when unknown)
 */
public record ScoringOutcome(ChatTurn turn, boolean characterMissing, boolean historyTruncated, RewardResult result,
    Exception failure, long recordTimestamp, long scoredAtMs, SourcePosition source) {

  public boolean failed() {
    return failure != null;
  }
}
