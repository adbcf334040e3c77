package io.queststream.streams.batching;

import io.queststream.model.api.RewardResult;
import io.queststream.schemas.ChatTurn;

/**
 * What the micro-batch made of one assistant turn: a result, or the failure of the batch it was in.
 *
 * @param historyTruncated the conversation's history had been cut to its bounds before this turn
 * @param recordTimestamp timestamp of the chat-turns record
 * @param scoredAtMs wall-clock time the batch finished
 */
public record ScoringOutcome(ChatTurn turn, boolean characterMissing, boolean historyTruncated, RewardResult result,
    Exception failure, long recordTimestamp, long scoredAtMs) {

  public boolean failed() {
    return failure != null;
  }
}
