package io.queststream.streams.analytics;

import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import io.queststream.streams.analytics.observation.Observation;
import io.queststream.streams.analytics.observation.DimensionKey;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.analytics.drift.DriftDetector;
import io.queststream.streams.analytics.drift.KeyDetectors;
import io.queststream.streams.analytics.leaderboard.KeyStats;
import io.queststream.streams.analytics.leaderboard.LeaderboardEntries;
import io.queststream.streams.analytics.ratings.PolicyRatingsRecords;
import io.queststream.streams.analytics.ratings.PreferenceDecoder;
import io.queststream.streams.analytics.ratings.TurnPair;
import io.queststream.streams.analytics.ratings.WinTable;
import io.queststream.streams.config.AnalyticsConfig;
import io.queststream.streams.serde.JsonSerde;
import io.queststream.streams.topics.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The live analytics over the scoring app's outputs, in the order a record travels:
 *
 * <pre>
 * turn-scores ───────┬─► one observation per policy model and per character ─┐
 * moderation-events ─┼─► one moderation mark per policy model and character ──┴─► by dimension key (repartition)
 *                    │      ├─► tumbling window: count, mean ± t interval, moderation rate ───────► leaderboards
 *                    │      └─► scores only ─► Page-Hinkley per attribute (changelogged store) ──► drift-alerts
 *                    └─► policy model by turn id (repartition) ─────────────┐
 * turn-preferences ─► turn pairs ─► + chosen turn's model ─► + rejected turn's model (windowed joins)
 *                     ─► pairs between two models ─► tumbling window: win table ─► Bradley-Terry ─► policy-ratings
 * </pre>
 *
 * <p>It reads topics rather than the scoring topology's streams, so it runs as its own Kafka Streams application
 * (see {@link AnalyticsApp}) and the scoring path does not change for it.
 */
public final class AnalyticsTopology {

  public static final String LEADERBOARD_STORE = "leaderboard-stats";
  public static final String DRIFT_STORE = "drift-detectors";
  public static final String WINS_STORE = "policy-wins";
  /** Ratings are relative to each other: every pair of a window goes to one key. */
  static final String ALL_MODELS = "all-models";

  private final AnalyticsConfig config;
  private final Topics topics;
  private final AnalyticsMetrics metrics;

  public AnalyticsTopology(AnalyticsConfig config, Topics topics, AnalyticsMetrics metrics) {
    this.config = config;
    this.topics = topics;
    this.metrics = metrics;
  }

  public Topology build() {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<Observation> observations = new JsonSerde<>(Observation.class);
    KStream<String, TurnScore> scores = builder.stream(topics.turnScores().name(), topics.turnScores().consumed());
    KStream<String, ModerationEvent> moderation =
        builder.stream(topics.moderationEvents().name(), topics.moderationEvents().consumed());

    KStream<String, Observation> byKey = scores
        .process(() -> new ObservationsByDimension<>(Observation::ofScore, TurnScore::getPolicyModel,
            TurnScore::getCharacterId), Named.as("score-observations"))
        .merge(moderation.process(() -> new ObservationsByDimension<>(Observation::ofModeration,
            ModerationEvent::getPolicyModel, ModerationEvent::getCharacterId), Named.as("moderation-observations")),
            Named.as("scores-and-moderation"))
        .repartition(Repartitioned.<String, Observation>as("by-dimension-key")
            .withKeySerde(Serdes.String()).withValueSerde(observations));

    leaderboards(byKey, observations);
    driftAlerts(builder, byKey);
    policyRatings(builder, scores);
    return builder.build();
  }

  private void leaderboards(KStream<String, Observation> byKey, Serde<Observation> observations) {
    byKey.groupByKey(Grouped.with("leaderboard", Serdes.String(), observations))
        .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.windowGrace()))
        .aggregate(KeyStats::empty, (key, o, stats) -> stats.add(o), Named.as("leaderboard-aggregate"),
            Materialized.<String, KeyStats, WindowStore<Bytes, byte[]>>as(LEADERBOARD_STORE)
                .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(KeyStats.class)))
        .toStream(Named.as("leaderboard-updates"))
        .map((window, stats) -> {
          DimensionKey key = DimensionKey.parse(window.key());
          return KeyValue.pair(key.windowKey(window.window().start()),
              LeaderboardEntries.of(key, window.window(), stats, config.confidenceLevel()));
        }, Named.as("leaderboard-entry"))
        .to(topics.leaderboards().name(), topics.leaderboards().produced());
  }

  private void driftAlerts(StreamsBuilder builder, KStream<String, Observation> byKey) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DRIFT_STORE), Serdes.String(),
        new JsonSerde<>(KeyDetectors.class)));
    byKey.filterNot((key, o) -> o.moderation(), Named.as("scores-only"))
        .processValues(() -> new DriftDetector(DRIFT_STORE, config.drift(), metrics), Named.as("drift-detector"),
            DRIFT_STORE)
        .to(topics.driftAlerts().name(), topics.driftAlerts().produced());
  }

  private void policyRatings(StreamsBuilder builder, KStream<String, TurnScore> scores) {
    Serde<TurnPair> pairs = new JsonSerde<>(TurnPair.class);
    KStream<String, String> modelByTurn = scores
        .filter((key, s) -> s != null && s.getPolicyModel() != null && !s.getPolicyModel().isBlank(),
            Named.as("scores-with-policy-model"))
        .map((key, s) -> KeyValue.pair(s.getTurnId(), s.getPolicyModel()), Named.as("policy-model-of-turn"))
        .repartition(Repartitioned.<String, String>as("policy-model-by-turn")
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
    JoinWindows within = JoinWindows.ofTimeDifferenceAndGrace(config.preferenceJoinWindow(), config.windowGrace());

    PreferenceDecoder decoder = new PreferenceDecoder(topics.turnPreferences().valueSerde().deserializer(), metrics);
    String preferences = topics.turnPreferences().name();
    builder.stream(preferences, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-" + preferences))
        .flatMapValues(bytes -> decoder.pairs(preferences, bytes), Named.as("turn-pairs"))
        .selectKey((key, p) -> p.chosenTurnId(), Named.as("by-chosen-turn"))
        .join(modelByTurn, TurnPair::withChosenModel, within,
            StreamJoined.with(Serdes.String(), pairs, Serdes.String()).withName("chosen-model")
                .withStoreName("chosen-model"))
        .selectKey((key, p) -> p.rejectedTurnId(), Named.as("by-rejected-turn"))
        .join(modelByTurn, TurnPair::withRejectedModel, within,
            StreamJoined.with(Serdes.String(), pairs, Serdes.String()).withName("rejected-model")
                .withStoreName("rejected-model"))
        .filter((key, p) -> p.betweenModels(), Named.as("pairs-between-models"))
        .groupBy((key, p) -> ALL_MODELS, Grouped.with("all-models", Serdes.String(), pairs))
        .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.windowGrace()))
        .aggregate(WinTable::empty, (key, p, table) -> table.add(p), Named.as("win-table"),
            Materialized.<String, WinTable, WindowStore<Bytes, byte[]>>as(WINS_STORE)
                .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(WinTable.class)))
        .toStream(Named.as("win-table-updates"))
        .map((window, table) -> KeyValue.pair(Long.toString(window.window().start()),
            PolicyRatingsRecords.of(window.window(), table)), Named.as("policy-ratings"))
        .to(topics.policyRatings().name(), topics.policyRatings().produced());
  }
}
