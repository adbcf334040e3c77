package io.queststream.streams.analytics;

import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import io.queststream.streams.analytics.observation.Observation;
import io.queststream.streams.analytics.observation.DimensionKey;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.TurnSelection;
import io.queststream.streams.analytics.drift.DriftDetector;
import io.queststream.streams.analytics.drift.KeyDetectors;
import io.queststream.streams.analytics.leaderboard.KeyStats;
import io.queststream.streams.analytics.leaderboard.LeaderboardEntries;
import io.queststream.streams.analytics.ratings.PolicyRatingsRecords;
import io.queststream.streams.analytics.ratings.PreferenceDecoder;
import io.queststream.streams.analytics.ratings.TurnPair;
import io.queststream.streams.analytics.ratings.WinTable;
import io.queststream.streams.analytics.selections.ParentReplies;
import io.queststream.streams.analytics.selections.PendingSelections;
import io.queststream.streams.analytics.selections.ScoredReply;
import io.queststream.streams.analytics.selections.SelectionInput;
import io.queststream.streams.analytics.selections.SelectionOutcome;
import io.queststream.streams.analytics.selections.SelectionPairing;
import io.queststream.streams.analytics.selections.SelectionRecord;
import io.queststream.streams.config.AnalyticsConfig;
import io.queststream.streams.errors.DeadLetterCounter;
import io.queststream.streams.errors.DeadLetterHeaders.Cause;
import io.queststream.streams.errors.DeadLetterHeaders.Source;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.errors.DeadLetterWriter;
import io.queststream.streams.errors.DecodingSource;
import io.queststream.streams.serde.JsonSerde;
import io.queststream.streams.topics.Topic;
import io.queststream.streams.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
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
 * turn-scores (replies to a parent) ─┬─► by conversation (repartition) ─► selection pairing (changelogged stores)
 * turn-selections ───────────────────┘      ─┬─► chosen over each discarded reply ─► turn-preferences (source swipe)
 *                                             └─► refused selections ─► scoring-dlq (kind selection, reason)
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
  private final DeadLetterCounter deadLetters;

  public AnalyticsTopology(AnalyticsConfig config, Topics topics, AnalyticsMetrics metrics,
      DeadLetterCounter deadLetters) {
    this.config = config;
    this.topics = topics;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
  }

  public Topology build() {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<Observation> observations = new JsonSerde<>(Observation.class);
    KStream<String, TurnScore> scores = decoded(builder, topics.turnScores());
    KStream<String, ModerationEvent> moderation = decoded(builder, topics.moderationEvents());

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
    selectionPairs(builder, scores);
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

  private void selectionPairs(StreamsBuilder builder, KStream<String, TurnScore> scores) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SelectionPairing.PARENTS_STORE),
        Serdes.String(), new JsonSerde<>(ParentReplies.class)));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SelectionPairing.REPLIES_STORE),
        Serdes.String(), new JsonSerde<>(ScoredReply.class)));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SelectionPairing.PENDING_STORE),
        Serdes.String(), new JsonSerde<>(PendingSelections.class)));
    KStream<String, SelectionInput> replies = scores
        .filter((key, s) -> s != null && s.getParentTurnId() != null && !s.getParentTurnId().isBlank(),
            Named.as("replies-to-a-parent"))
        .mapValues(s -> SelectionInput.of(ScoredReply.of(s)), Named.as("scored-reply"));
    KStream<String, SelectionInput> selections = decoded(builder, topics.turnSelections())
        .processValues(ReadSelection::new, Named.as("read-selection"));
    var outcomes = replies.merge(selections, Named.as("replies-and-selections"))
        .repartition(Repartitioned.<String, SelectionInput>as("selections-by-conversation")
            .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(SelectionInput.class)))
        .process(() -> new SelectionPairing(config.selections(), metrics), Named.as("selection-pairing"),
            SelectionPairing.PARENTS_STORE, SelectionPairing.REPLIES_STORE, SelectionPairing.PENDING_STORE)
        .split(Named.as("selection-"))
        .branch((key, o) -> o.rejected(), Branched.as("rejected"))
        .defaultBranch(Branched.as("pair"));
    outcomes.get("selection-pair")
        .mapValues(o -> (SpecificRecord) o.pair(), Named.as("swipe-pair"))
        .to(topics.turnPreferences().name(), topics.turnPreferences().produced());
    outcomes.get("selection-rejected")
        .process(() -> new DeadLetterWriter<SelectionOutcome, TurnSelection>(
                topics.turnSelections().valueSerde().serializer(), topics.turnSelections().name(),
                o -> o.rejection().selection().toAvro(),
                o -> Cause.of(DeadLetterKind.SELECTION, o.rejection().reason().name(), o.rejection().message()),
                o -> {
                  SelectionRecord s = o.rejection().selection();
                  return s.topic() == null ? null : new Source(s.topic(), s.partition(), s.offset());
                }, deadLetters), Named.as("selection-dead-letter"))
        .to(topics.deadLetters().name(), topics.deadLetters().produced().withName("selection-write-dead-letter"));
  }

  /** A topic's decoded values; undecodable records become dead letters committed with their offsets. */
  private <V> KStream<String, V> decoded(StreamsBuilder builder, Topic<String, V> topic) {
    return DecodingSource.stream(builder, topic.name(), topic.keySerde(), topic.valueSerde(),
        topics.deadLetters().name(), deadLetters);
  }

  /** Keeps where the selection was read, which its dead letter names after the repartition. */
  private static final class ReadSelection implements FixedKeyProcessor<String, TurnSelection, SelectionInput> {

    private FixedKeyProcessorContext<String, SelectionInput> context;

    @Override
    public void init(FixedKeyProcessorContext<String, SelectionInput> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, TurnSelection> record) {
      if (record.value() == null) {
        throw new IllegalArgumentException("a turn selection without a value (key " + record.key() + ")");
      }
      context.forward(record.withValue(
          SelectionInput.of(SelectionRecord.of(record.value(), context.recordMetadata().orElse(null)))));
    }
  }
}
