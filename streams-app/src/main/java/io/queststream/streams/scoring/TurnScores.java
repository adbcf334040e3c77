package io.queststream.streams.scoring;

import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.Contribution;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.Truncation;
import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.Explanation;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TruncationFlag;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.codec.Matrices;
import io.queststream.streams.batching.ScoringOutcome;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns a scoring outcome into the records the app publishes. */
public final class TurnScores {

  private TurnScores() {}

  /** The score record; end-to-end latency runs from the chat-turns record's timestamp to scored_at. */
  public static TurnScore score(ScoringOutcome outcome) {
    return score(outcome, outcome.result());
  }

  /** The score record the shadowed candidate version would have published for the turn; the outcome has one. */
  public static TurnScore candidateScore(ScoringOutcome outcome) {
    return score(outcome, outcome.result().candidate());
  }

  /**
   * The shadow record of a turn: the serving and the candidate version's scores side by side, and whether each
   * breaks a moderation rule (the candidate's under the same rules).
   */
  public static ShadowScore shadow(TurnScore serving, TurnScore candidate, boolean servingFlagged,
      Optional<ModerationEvent> candidateEvent) {
    return ShadowScore.newBuilder()
        .setTurnId(serving.getTurnId())
        .setConversationId(serving.getConversationId())
        .setCharacterId(serving.getCharacterId())
        .setPolicyModel(serving.getPolicyModel())
        .setWeightsModel(serving.getWeightsModel())
        .setServingVersion(serving.getWeightsVersion())
        .setCandidateVersion(candidate.getWeightsVersion())
        .setServingScore(serving.getScore())
        .setCandidateScore(candidate.getScore())
        .setServingAttributes(serving.getAttributes())
        .setCandidateAttributes(candidate.getAttributes())
        .setServingFlagged(servingFlagged)
        .setCandidateFlagged(candidateEvent.isPresent())
        .setCandidateBrokenRules(candidateEvent.map(e -> e.getViolations().stream().map(RuleViolation::getRule)
            .toList()).orElse(List.of()))
        .setScoredAt(serving.getScoredAt())
        .build();
  }

  private static TurnScore score(ScoringOutcome outcome, RewardResult r) {
    ChatTurn turn = outcome.turn();
    return TurnScore.newBuilder()
        .setTurnId(turn.getTurnId())
        .setConversationId(turn.getConversationId())
        .setCharacterId(turn.getCharacterId())
        .setPolicyModel(turn.getPolicyModel())
        .setParentTurnId(turn.getParentTurnId())
        .setAttributes(r.attributes().stream().map(TurnScores::attribute).toList())
        .setScore(r.score())
        .setTopK(explanations(r.topK()))
        .setScaleMin(r.scaleMin())
        .setScaleMax(r.scaleMax())
        .setWeightsModel(r.weightsModel())
        .setWeightsVersion(r.weightsVersion())
        .setBackboneId(r.backboneId())
        .setPromptTokens(r.promptTokens())
        .setResponseTokens(r.responseTokens())
        .setTruncated(r.truncated() || outcome.historyTruncated())
        .setTruncation(truncation(r, outcome.historyTruncated()))
        .setCharacterMissing(outcome.characterMissing())
        .setBatchSize(r.batchSize())
        .setModelLatencyMs(r.modelLatencyMs())
        .setEndToEndLatencyMs(Math.max(0, outcome.scoredAtMs() - outcome.recordTimestamp()))
        .setTurnCreatedAt(turn.getCreatedAt())
        .setScoredAt(Instant.ofEpochMilli(outcome.scoredAtMs()))
        .build();
  }

  /**
   * The model's flags in fitting order; history the app's own bounds dropped (history.max-turns, max-tokens) counts
   * as HISTORY_DROPPED too.
   */
  static List<TruncationFlag> truncation(RewardResult r, boolean historyTruncated) {
    Set<Truncation> flags = EnumSet.noneOf(Truncation.class);
    flags.addAll(r.truncation());
    if (historyTruncated) {
      flags.add(Truncation.HISTORY_DROPPED);
    }
    return flags.stream().map(f -> TruncationFlag.valueOf(f.name())).toList();
  }

  public static TurnEmbedding embedding(ScoringOutcome outcome) {
    ChatTurn turn = outcome.turn();
    RewardResult r = outcome.result();
    return TurnEmbedding.newBuilder()
        .setTurnId(turn.getTurnId())
        .setConversationId(turn.getConversationId())
        .setCharacterId(turn.getCharacterId())
        .setPolicyModel(turn.getPolicyModel())
        .setParentTurnId(turn.getParentTurnId())
        .setBackboneId(r.backboneId())
        .setEmbeddingDim(r.responseEmbedding().length)
        .setPromptEmbedding(Matrices.row(r.promptEmbedding()))
        .setResponseEmbedding(Matrices.row(r.responseEmbedding()))
        .setPromptTokens(r.promptTokens())
        .setResponseTokens(r.responseTokens())
        .setWeightsVersion(r.weightsVersion())
        .setCreatedAt(Instant.ofEpochMilli(outcome.scoredAtMs()))
        .build();
  }

  public static List<Explanation> explanations(List<Contribution> topK) {
    return topK.stream()
        .map(c -> new Explanation(c.attribute(), c.reward(), c.coefficient(), c.contribution()))
        .toList();
  }

  private static AttributeScore attribute(AttributeReward a) {
    return new AttributeScore(a.attribute(), a.reward(), a.rewardOnScale(), a.gating(), a.coefficient());
  }
}
