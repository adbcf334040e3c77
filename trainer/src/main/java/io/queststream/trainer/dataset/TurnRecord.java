package io.queststream.trainer.dataset;

import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.codec.Matrices;

/**
 * A scored turn as the trainer needs it: both embeddings, its length and who wrote it. The context key groups turns
 * that answer the same prompt (the parent turn for regenerations, else the conversation) and decides held-out
 * membership, so alternatives to one prompt never straddle training and evaluation.
 */
public record TurnRecord(String turnId, String contextKey, String conversationId, String policyModel,
    String backboneId, float[] prompt, float[] response, int responseTokens) {

  public static TurnRecord of(TurnEmbedding e) {
    String parent = e.getParentTurnId() == null ? null : e.getParentTurnId().toString();
    String conversation = e.getConversationId().toString();
    return new TurnRecord(e.getTurnId().toString(), parent != null ? parent : conversation, conversation,
        e.getPolicyModel() == null ? null : e.getPolicyModel().toString(), e.getBackboneId().toString(),
        Matrices.values(e.getPromptEmbedding()), Matrices.values(e.getResponseEmbedding()), e.getResponseTokens());
  }
}
