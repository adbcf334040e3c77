package io.queststream.trainer.embedding;

import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.codec.Matrices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes embeddings with the serving backbone (RewardScorer.embed, no heads needed) for turns the trainer sees
 * outside the streaming path: the sample data at bootstrap, foreign benchmarks at evaluation.
 */
public final class TurnEmbedder {

  private static final Logger LOG = LoggerFactory.getLogger(TurnEmbedder.class);

  /** A turn to embed with the lineage the trainer keeps. */
  public record Turn(ScoringRequest request, String conversationId, String characterId, String policyModel,
      String parentTurnId) {}

  private final RewardScorer scorer;
  private final int batchSize;

  public TurnEmbedder(RewardScorer scorer, int batchSize) {
    this.scorer = scorer;
    this.batchSize = batchSize;
  }

  public BackboneInfo backbone() {
    return scorer.backbone();
  }

  public List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException {
    List<EmbeddedTurn> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i += batchSize) {
      out.addAll(scorer.embed(requests.subList(i, Math.min(requests.size(), i + batchSize))));
      LOG.info("embedding turns: {}/{}", out.size(), requests.size());
    }
    return out;
  }

  public List<TurnEmbedding> embedTurns(List<Turn> turns) throws ScoringException {
    List<EmbeddedTurn> embedded = embed(turns.stream().map(Turn::request).toList());
    BackboneInfo b = scorer.backbone();
    List<TurnEmbedding> out = new ArrayList<>(turns.size());
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      EmbeddedTurn e = embedded.get(i);
      out.add(TurnEmbedding.newBuilder().setTurnId(t.request().turnId()).setConversationId(t.conversationId())
          .setCharacterId(t.characterId()).setPolicyModel(t.policyModel()).setParentTurnId(t.parentTurnId())
          .setBackboneId(b.id()).setEmbeddingDim(b.embeddingDim())
          .setPromptEmbedding(Matrices.row(e.promptEmbedding())).setResponseEmbedding(Matrices.row(e.responseEmbedding()))
          .setPromptTokens(e.promptTokens()).setResponseTokens(e.responseTokens()).setCreatedAt(Instant.now())
          .build());
    }
    return out;
  }
}
