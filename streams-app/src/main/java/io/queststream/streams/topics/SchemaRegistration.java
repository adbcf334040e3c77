package io.queststream.streams.topics;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.PolicyRatings;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.TurnSelection;
import io.queststream.serde.SerdeConfig;
import io.queststream.serde.registry.SchemaRegistryClient;
import io.queststream.serde.registry.SchemaRegistryClients;
import io.queststream.streams.config.TopicNames;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the value schemas the app writes, one after the other, before any stream thread starts. Otherwise
 * several threads register a new subject at the same moment and a registry may answer all but one with a conflict
 * (Apicurio's Confluent API does: 409), which would fail those threads' first writes.
 */
public final class SchemaRegistration {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);

  private SchemaRegistration() {}

  public static void registerOutputs(TopicNames topics, Map<String, ?> serdeConfig) {
    register(Map.of(
        topics.turnScores(), TurnScore.getClassSchema(),
        topics.moderationEvents(), ModerationEvent.getClassSchema(),
        topics.turnEmbeddings(), TurnEmbedding.getClassSchema(),
        topics.shadowScores(), ShadowScore.getClassSchema(),
        topics.chatTurns(), ChatTurn.getClassSchema()), serdeConfig);
  }

  /**
   * The analytics app's outputs, registered the same way before its stream threads start: its own topics, the swipe
   * pairs it adds to the preferences topic (one subject per record type there) and the selections it dead-letters.
   */
  public static void registerAnalyticsOutputs(TopicNames topics, Map<String, ?> serdeConfig) {
    register(Map.of(
        topics.leaderboards(), LeaderboardEntry.getClassSchema(),
        topics.policyRatings(), PolicyRatings.getClassSchema(),
        topics.driftAlerts(), DriftAlert.getClassSchema(),
        topics.turnSelections(), TurnSelection.getClassSchema()), serdeConfig);
    Map<String, Object> perRecordType = new HashMap<>(serdeConfig);
    perRecordType.put(SerdeConfig.SUBJECT_NAME_STRATEGY, "topic_record");
    register(Map.of(topics.turnPreferences(), PreferencePair.getClassSchema()), perRecordType);
  }

  private static void register(Map<String, Schema> values, Map<String, ?> serdeConfig) {
    SerdeConfig config = new SerdeConfig(serdeConfig);
    if (!config.autoRegisterSchemas()) {
      return;
    }
    SchemaRegistryClient registry = SchemaRegistryClients.create(serdeConfig);
    values.forEach((topic, schema) -> {
      String subject = config.subjectNameStrategy().subject(topic, false, schema);
      int id = registry.register(subject, schema);
      LOG.debug("Schema {} is id {} under subject {}", schema.getFullName(), id, subject);
    });
  }
}
