package io.queststream.streams.topics;

import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.ModerationRules;
import io.queststream.schemas.PolicyRatings;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.TurnSelection;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.config.TopicNames;
import io.queststream.streams.serde.StrictUtf8Serde;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the app, with its serdes: string keys that must be valid UTF-8, registry-framed Avro values, raw
 * bytes for dead letters.
 */
public final class Topics {

  private final Topic<String, ChatTurn> chatTurns;
  private final Topic<String, CharacterCard> characterCards;
  private final Topic<String, TurnScore> turnScores;
  private final Topic<String, ModerationEvent> moderationEvents;
  private final Topic<String, TurnEmbedding> turnEmbeddings;
  private final Topic<String, RewardHeads> rewardWeights;
  private final Topic<String, SpecificRecord> turnPreferences;
  private final Topic<String, LeaderboardEntry> leaderboards;
  private final Topic<String, PolicyRatings> policyRatings;
  private final Topic<String, DriftAlert> driftAlerts;
  private final Topic<String, TurnSelection> turnSelections;
  private final Topic<String, ModerationRules> moderationPolicies;
  private final Topic<String, ShadowScore> shadowScores;
  private final Topic<byte[], byte[]> deadLetters;

  /**
   * @param serdeConfig client configuration handed to each value serde (schema.registry.url and friends)
   */
  public Topics(TopicNames names, Map<String, ?> serdeConfig) {
    this(names, serdeConfig, serdeConfig);
  }

  /**
   * @param serdeConfig client configuration of the serdes stream threads use
   * @param globalSerdeConfig client configuration of the serdes of the global topics (character cards, weights,
   *     moderation policies),
   *     which the global thread reads: it cannot be replaced after a failure, so its registry calls may wait longer
   */
  public Topics(TopicNames names, Map<String, ?> serdeConfig, Map<String, ?> globalSerdeConfig) {
    chatTurns = avro(names.chatTurns(), ChatTurn.class, serdeConfig);
    characterCards = avro(names.characterCards(), CharacterCard.class, globalSerdeConfig);
    turnScores = avro(names.turnScores(), TurnScore.class, serdeConfig);
    moderationEvents = avro(names.moderationEvents(), ModerationEvent.class, serdeConfig);
    turnEmbeddings = avro(names.turnEmbeddings(), TurnEmbedding.class, serdeConfig);
    rewardWeights = avro(names.rewardWeights(), RewardHeads.class, globalSerdeConfig);
    turnPreferences = preferences(names.turnPreferences(), serdeConfig);
    leaderboards = avro(names.leaderboards(), LeaderboardEntry.class, serdeConfig);
    policyRatings = avro(names.policyRatings(), PolicyRatings.class, serdeConfig);
    driftAlerts = avro(names.driftAlerts(), DriftAlert.class, serdeConfig);
    turnSelections = avro(names.turnSelections(), TurnSelection.class, serdeConfig);
    moderationPolicies = avro(names.moderationPolicies(), ModerationRules.class, globalSerdeConfig);
    shadowScores = avro(names.shadowScores(), ShadowScore.class, serdeConfig);
    deadLetters = new Topic<>(names.deadLetters(), Serdes.ByteArray(), Serdes.ByteArray());
  }

  private static <V extends SpecificRecord> Topic<String, V> avro(String name, Class<V> type, Map<String, ?> config) {
    Serde<V> serde = new RegistryAvroSerde<>(type);
    serde.configure(config, false);
    return new Topic<>(name, new StrictUtf8Serde(), serde);
  }

  /** Pairs and rankings share the topic: one subject per record type (topic_record), as the trainer reads it. */
  private static Topic<String, SpecificRecord> preferences(String name, Map<String, ?> config) {
    Serde<SpecificRecord> serde = RegistryAvroSerde.anyOf(PreferencePair.class, Ranking.class);
    Map<String, Object> c = new HashMap<>(config);
    c.put("subject.name.strategy", "topic_record");
    serde.configure(c, false);
    return new Topic<>(name, new StrictUtf8Serde(), serde);
  }

  public Topic<String, ChatTurn> chatTurns() {
    return chatTurns;
  }

  public Topic<String, CharacterCard> characterCards() {
    return characterCards;
  }

  public Topic<String, TurnScore> turnScores() {
    return turnScores;
  }

  public Topic<String, ModerationEvent> moderationEvents() {
    return moderationEvents;
  }

  public Topic<String, TurnEmbedding> turnEmbeddings() {
    return turnEmbeddings;
  }

  public Topic<String, RewardHeads> rewardWeights() {
    return rewardWeights;
  }

  public Topic<String, SpecificRecord> turnPreferences() {
    return turnPreferences;
  }

  public Topic<String, LeaderboardEntry> leaderboards() {
    return leaderboards;
  }

  public Topic<String, PolicyRatings> policyRatings() {
    return policyRatings;
  }

  public Topic<String, DriftAlert> driftAlerts() {
    return driftAlerts;
  }

  public Topic<String, TurnSelection> turnSelections() {
    return turnSelections;
  }

  public Topic<String, ModerationRules> moderationPolicies() {
    return moderationPolicies;
  }

  public Topic<String, ShadowScore> shadowScores() {
    return shadowScores;
  }

  public Topic<byte[], byte[]> deadLetters() {
    return deadLetters;
  }
}
