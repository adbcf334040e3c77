package io.queststream.streams.support;

import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.weights.WeightsContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores, moderation events and preferences with chosen values, as the scoring app and the platform would write
 * them: the analytics read nothing else. Attributes are two, "Character Consistency" and "Creativity".
 */
public final class Scores {

  public static final String CONSISTENCY = "Character Consistency";
  public static final String CREATIVITY = "Creativity";

  private Scores() {}

  public static TurnScore score(String turnId, String model, String character, double score, double consistency,
      double creativity, long version) {
    List<AttributeScore> attributes = new ArrayList<>();
    attributes.add(attribute(CONSISTENCY, consistency));
    attributes.add(attribute(CREATIVITY, creativity));
    return TurnScore.newBuilder()
        .setTurnId(turnId)
        .setConversationId("c-" + turnId)
        .setCharacterId(character)
        .setPolicyModel(model)
        .setParentTurnId(null)
        .setAttributes(attributes)
        .setScore((float) score)
        .setTopK(List.of())
        .setWeightsModel(WeightsContract.MODEL_NAME)
        .setWeightsVersion(version)
        .setBackboneId("test-backbone")
        .setPromptTokens(10)
        .setResponseTokens(20)
        .setTruncated(false)
        .setBatchSize(1)
        .setEndToEndLatencyMs(5)
        .setTurnCreatedAt(Instant.ofEpochMilli(0))
        .setScoredAt(Instant.ofEpochMilli(0))
        .build();
  }

  private static AttributeScore attribute(String name, double onScale) {
    return new AttributeScore(name, (float) ((onScale - 1) / 9), (float) onScale, 0.5f, 0.5f);
  }

  public static ModerationEvent moderation(TurnScore s) {
    return ModerationEvent.newBuilder()
        .setTurnId(s.getTurnId())
        .setConversationId(s.getConversationId())
        .setCharacterId(s.getCharacterId())
        .setPolicyModel(s.getPolicyModel())
        .setScore(s.getScore())
        .setViolations(List.of(new RuleViolation("score", null, s.getScore(), 0f, "global")))
        .setTopK(List.of())
        .setWeightsVersion(s.getWeightsVersion())
        .setCreatedAt(Instant.ofEpochMilli(0))
        .build();
  }

  public static PreferencePair pair(String pairId, String chosen, String rejected, float weight) {
    return PreferencePair.newBuilder().setPairId(pairId).setContextId("ctx-" + pairId).setConversationId(null)
        .setChosenTurnId(chosen).setRejectedTurnId(rejected).setSource("user_pick").setRaterId(null)
        .setWeight(weight).setCreatedAt(Instant.ofEpochMilli(0)).build();
  }

  public static Ranking ranking(String rankingId, String... bestFirst) {
    return Ranking.newBuilder().setRankingId(rankingId).setContextId("ctx-" + rankingId).setConversationId(null)
        .setTurnIdsBestFirst(List.of(bestFirst)).setSource("ranking").setRaterId(null)
        .setCreatedAt(Instant.ofEpochMilli(0)).build();
  }
}
