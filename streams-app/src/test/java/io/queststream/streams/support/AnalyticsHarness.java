package io.queststream.streams.support;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.PolicyRatings;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.TurnSelection;
import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import io.queststream.streams.analytics.AnalyticsTopology;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.topics.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The analytics topology on Kafka Streams' TopologyTestDriver with an in-JVM schema registry. */
public final class AnalyticsHarness implements AutoCloseable {

  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final AnalyticsMetrics metrics = new AnalyticsMetrics(registry);
  public final ScoringMetrics appMetrics = ScoringMetrics.standalone();
  public final AppConfig config;
  public final Topics topics;
  public final TopologyTestDriver driver;
  public final TestInputTopic<String, TurnScore> scores;
  public final TestInputTopic<String, ModerationEvent> moderation;
  public final TestInputTopic<String, SpecificRecord> preferences;
  public final TestInputTopic<String, byte[]> rawPreferences;
  public final TestOutputTopic<String, LeaderboardEntry> leaderboards;
  public final TestOutputTopic<String, PolicyRatings> ratings;
  public final TestOutputTopic<String, DriftAlert> alerts;
  public final TestOutputTopic<byte[], byte[]> deadLetters;
  public final TestInputTopic<String, TurnSelection> selections;
  public final TestOutputTopic<String, SpecificRecord> derivedPreferences;
  private final TemporaryStateDir stateDir = TemporaryStateDir.create("analytics-harness");

  public AnalyticsHarness(Map<String, String> settings) {
    Map<String, String> values = new HashMap<>(Map.of("schema.registry.url", "mock://analytics-" + UUID.randomUUID()));
    values.putAll(settings);
    config = AppConfig.from(values);
    topics = new Topics(config.topics(), config.clientProperties());
    var topology = new AnalyticsTopology(config.analytics(), topics, metrics, appMetrics).build();
    Properties props = new Properties();
    props.putAll(config.streamsProperties());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.path().toString());
    props.put(ScoringMetrics.CONFIG_KEY, appMetrics);
    driver = new TopologyTestDriver(topology, props, START);
    scores = driver.createInputTopic(topics.turnScores().name(), Serdes.String().serializer(),
        topics.turnScores().valueSerde().serializer());
    moderation = driver.createInputTopic(topics.moderationEvents().name(), Serdes.String().serializer(),
        topics.moderationEvents().valueSerde().serializer());
    preferences = driver.createInputTopic(topics.turnPreferences().name(), Serdes.String().serializer(),
        topics.turnPreferences().valueSerde().serializer());
    rawPreferences = driver.createInputTopic(topics.turnPreferences().name(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer());
    leaderboards = driver.createOutputTopic(topics.leaderboards().name(), Serdes.String().deserializer(),
        topics.leaderboards().valueSerde().deserializer());
    ratings = driver.createOutputTopic(topics.policyRatings().name(), Serdes.String().deserializer(),
        topics.policyRatings().valueSerde().deserializer());
    alerts = driver.createOutputTopic(topics.driftAlerts().name(), Serdes.String().deserializer(),
        topics.driftAlerts().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
    selections = driver.createInputTopic(topics.turnSelections().name(), Serdes.String().serializer(),
        topics.turnSelections().valueSerde().serializer());
    derivedPreferences = driver.createOutputTopic(topics.turnPreferences().name(), Serdes.String().deserializer(),
        topics.turnPreferences().valueSerde().deserializer());
  }

  public void score(TurnScore s, long atMs) {
    scores.pipeInput(new TestRecord<>(s.getConversationId(), s, START.plusMillis(atMs)));
  }

  public void moderate(TurnScore s, long atMs) {
    moderation.pipeInput(new TestRecord<>(s.getConversationId(), Scores.moderation(s), START.plusMillis(atMs)));
  }

  public void prefer(SpecificRecord preference, long atMs) {
    preferences.pipeInput(new TestRecord<>("ctx", preference, START.plusMillis(atMs)));
  }

  public void select(TurnSelection selection, long atMs) {
    selections.pipeInput(new TestRecord<>(selection.getConversationId(), selection, START.plusMillis(atMs)));
  }

  /** The compacted view of the leaderboards topic: the latest entry per key. */
  public Map<String, LeaderboardEntry> latestEntries() {
    Map<String, LeaderboardEntry> latest = new LinkedHashMap<>();
    leaderboards.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
    return latest;
  }

  /** The compacted view of the policy ratings topic. */
  public Map<String, PolicyRatings> latestRatings() {
    Map<String, PolicyRatings> latest = new LinkedHashMap<>();
    ratings.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
    return latest;
  }

  @Override
  public void close() {
    driver.close();
    stateDir.close();
  }
}
