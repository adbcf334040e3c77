package io.queststream.serde;

import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.DenseLayer;
import io.queststream.schemas.Explanation;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.WeightsContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every top-level type on the project's topics. */
final class SampleRecords {

  static final Instant AT = Instant.parse("2026-11-23T18:30:00.123Z");

  private SampleRecords() {}

  static List<SpecificRecord> all() {
    return List.of(chatTurn(), characterCard(), turnScore(), moderationEvent(), turnEmbedding(), attributeRating(),
        preferencePair(), ranking(), rewardHeads());
  }

  static ChatTurn chatTurn() {
    return ChatTurn.newBuilder()
        .setTurnId("t-2").setConversationId("c-1").setRole("assistant")
        .setText("The innkeeper leans closer. \"Ye want the north road? Nobody takes it after dark.\"")
        .setCharacterId("innkeeper").setUserId("u-7").setPolicyModel("policy-a").setParentTurnId("t-1")
        .setCreatedAt(AT).setMetadata(Map.of("client", "web", "locale", "en-GB"))
        .build();
  }

  static CharacterCard characterCard() {
    return CharacterCard.newBuilder()
        .setCharacterId("innkeeper").setName("Maren").setPersona("Gruff innkeeper of the Drowned Lantern.")
        .setScenario("A storm keeps travellers inside.").setGreeting("Shut the door, you're letting the rain in.")
        .setExampleDialogue(null).setTags(List.of("fantasy", "tavern")).setVersion(3).setUpdatedAt(AT)
        .build();
  }

  static TurnScore turnScore() {
    return TurnScore.newBuilder()
        .setTurnId("t-2").setConversationId("c-1").setCharacterId("innkeeper").setPolicyModel("policy-a")
        .setParentTurnId("t-1")
        .setAttributes(List.of(new AttributeScore("Character Consistency", 0.8f, 8.2f, 0.6f, 0.55f)))
        .setScore(0.71f).setTopK(List.of(explanation())).setScaleMin(1f).setScaleMax(10f)
        .setWeightsModel(WeightsContract.MODEL_NAME).setWeightsVersion(4).setBackboneId("minilm-l6-v2")
        .setPromptTokens(212).setResponseTokens(31).setTruncated(false).setCharacterMissing(false)
        .setBatchSize(8).setModelLatencyMs(12.5).setEndToEndLatencyMs(40).setTurnCreatedAt(AT)
        .setScoredAt(AT.plusMillis(40))
        .build();
  }

  static ModerationEvent moderationEvent() {
    return ModerationEvent.newBuilder()
        .setTurnId("t-9").setConversationId("c-1").setCharacterId("innkeeper").setPolicyModel("policy-b")
        .setScore(-0.4f)
        .setViolations(List.of(new RuleViolation("attribute:Character Consistency", "Character Consistency",
            2.1f, 4.0f, "character:innkeeper")))
        .setTopK(List.of(explanation())).setTextExcerpt("As an AI language model").setWeightsVersion(4)
        .setBackboneId("minilm-l6-v2").setCreatedAt(AT)
        .build();
  }

  static TurnEmbedding turnEmbedding() {
    return TurnEmbedding.newBuilder()
        .setTurnId("t-2").setConversationId("c-1").setCharacterId(null).setPolicyModel("policy-a")
        .setParentTurnId("t-1").setBackboneId("minilm-l6-v2").setEmbeddingDim(3)
        .setPromptEmbedding(Matrices.row(new float[] {0.1f, -0.2f, 0.3f}))
        .setResponseEmbedding(Matrices.row(new float[] {0.4f, 0.5f, -0.6f}))
        .setPromptTokens(212).setResponseTokens(31).setWeightsVersion(4).setCreatedAt(AT)
        .build();
  }

  static AttributeRating attributeRating() {
    return AttributeRating.newBuilder()
        .setRatingId("r-1").setTurnId("t-2").setRaterId("mod-3").setSource("moderator")
        .setRatings(Map.of("Character Consistency", 8f, "Creativity", 6.5f)).setScaleMin(1f).setScaleMax(10f)
        .setCreatedAt(AT)
        .build();
  }

  static PreferencePair preferencePair() {
    return PreferencePair.newBuilder()
        .setPairId("p-1").setContextId("t-1").setConversationId("c-1").setChosenTurnId("t-2")
        .setRejectedTurnId("t-3").setSource("swipe").setRaterId("u-7").setWeight(1f).setCreatedAt(AT)
        .build();
  }

  static Ranking ranking() {
    return Ranking.newBuilder()
        .setRankingId("k-1").setContextId("t-1").setConversationId("c-1")
        .setTurnIdsBestFirst(List.of("t-2", "t-4", "t-3")).setSource("ranking").setRaterId(null).setCreatedAt(AT)
        .build();
  }

  static RewardHeads rewardHeads() {
    return RewardHeads.newBuilder()
        .setModelName(WeightsContract.MODEL_NAME).setVersion(4).setParentVersion(3L).setStatus("promoted")
        .setBackboneId("minilm-l6-v2").setEmbeddingDim(2).setPooling("mean")
        .setAttributeNames(List.of("Character Consistency", "Creativity"))
        .setScaleMin(1f).setScaleMax(10f)
        .setRegression(Matrices.of(new float[][] {{1f, 2f}, {3f, 4f}}))
        .setGatingLayers(List.of(new DenseLayer(Matrices.of(new float[][] {{0.5f, -0.5f}, {0.25f, 0.75f}}),
            Matrices.row(new float[] {0.1f, 0.2f}), "identity")))
        .setTemperature(10f).setLogitScale(1f)
        .setTransform(Matrices.of(new float[][] {{1f, 0f}, {0f, 1f}}))
        .setVerbosityLambdas(List.of(0.01f, 0f)).setTrainingSummary(Map.of("pairs", "1200"))
        .setMetrics(Map.of("rmb_accuracy", 0.71)).setCreatedAt(AT)
        .build();
  }

  private static Explanation explanation() {
    return new Explanation("Character Consistency", 0.8f, 0.55f, 0.44f);
  }
}
