package io.queststream.trainer.imports.feedback;

import io.queststream.model.api.BackboneInfo;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.codec.Matrices;
import io.queststream.trainer.embedding.EmbeddingCache;
import io.queststream.trainer.imports.ImportIssues;
import io.queststream.trainer.imports.PublicDataset;
import io.queststream.trainer.imports.PublicTurn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The feedback records an import hands the trainer: a TurnEmbedding per embedded turn (its parent turn is the split
 * key, so the trainer's held-out split by context puts whole RMB conversations and whole QUEST-Bench scenes on one
 * side), then the ratings and preference pairs whose turns all embedded. Feedback about a turn that could not be
 * embedded is counted, not sent: it could never join.
 */
public final class ImportedFeedback {

  private ImportedFeedback() {}

  public static List<SpecificRecord> records(PublicDataset data, Map<String, EmbeddingCache.Entry> embedded,
      BackboneInfo backbone, ImportIssues issues) {
    List<SpecificRecord> out = new ArrayList<>();
    Instant now = Instant.now();
    for (PublicTurn t : data.turns()) {
      EmbeddingCache.Entry e = embedded.get(t.turnId());
      if (e != null) {
        out.add(TurnEmbedding.newBuilder().setTurnId(t.turnId()).setConversationId(t.contextId())
            .setCharacterId(t.characterId()).setPolicyModel(t.policyModel()).setParentTurnId(t.splitKey())
            .setBackboneId(backbone.id()).setEmbeddingDim(backbone.embeddingDim())
            .setPromptEmbedding(Matrices.row(e.prompt())).setResponseEmbedding(Matrices.row(e.response()))
            .setPromptTokens(e.promptTokens()).setResponseTokens(e.responseTokens()).setCreatedAt(now).build());
      }
    }
    for (AttributeRating r : data.ratings()) {
      if (embedded.containsKey(r.getTurnId().toString())) {
        out.add(r);
      } else {
        issues.unusable("feedback", "rating of a turn that could not be embedded", r.getTurnId().toString());
      }
    }
    for (PreferencePair p : data.preferences()) {
      if (embedded.containsKey(p.getChosenTurnId().toString())
          && embedded.containsKey(p.getRejectedTurnId().toString())) {
        out.add(p);
      } else {
        issues.unusable("feedback", "preference naming a turn that could not be embedded", p.getPairId().toString());
      }
    }
    return out;
  }
}
