package io.queststream.trainer.support;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.codec.Matrices;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for feedback records in tests. */
public final class Records {

  private Records() {}

  public static TurnEmbedding embedding(String turnId, String context, float[] prompt, float[] response, int tokens) {
    return TurnEmbedding.newBuilder().setTurnId(turnId).setConversationId("conv-" + context)
        .setParentTurnId(context).setPolicyModel("policy-a").setBackboneId("test-backbone")
        .setEmbeddingDim(prompt.length).setPromptEmbedding(Matrices.row(prompt))
        .setResponseEmbedding(Matrices.row(response)).setPromptTokens(10).setResponseTokens(tokens)
        .setCreatedAt(Instant.EPOCH).build();
  }

  public static AttributeRating rating(String id, String turnId, Map<String, Float> ratings) {
    return AttributeRating.newBuilder().setRatingId(id).setTurnId(turnId).setRatings(ratings)
        .setCreatedAt(Instant.EPOCH).build();
  }

  public static PreferencePair pair(String id, String chosen, String rejected, float weight) {
    return PreferencePair.newBuilder().setPairId(id).setContextId("ctx").setChosenTurnId(chosen)
        .setRejectedTurnId(rejected).setWeight(weight).setCreatedAt(Instant.EPOCH).build();
  }

  public static Ranking ranking(String id, List<String> bestFirst) {
    return Ranking.newBuilder().setRankingId(id).setContextId("ctx").setTurnIdsBestFirst(List.copyOf(bestFirst))
        .setCreatedAt(Instant.EPOCH).build();
  }
}
