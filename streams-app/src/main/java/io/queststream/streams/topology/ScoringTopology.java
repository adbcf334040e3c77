package io.queststream.streams.topology;

import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.streams.batching.MicroBatchScorer;
import io.queststream.streams.batching.PendingTurn;
import io.queststream.streams.batching.RestoredTurnGate;
import io.queststream.streams.batching.ScoringOutcome;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.BatchingConfig;
import io.queststream.streams.errors.DeadLetterHeaders.Cause;
import io.queststream.streams.errors.DeadLetterHeaders.Source;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.errors.DeadLetterWriter;
import io.queststream.streams.errors.DecodingSource;
import io.queststream.streams.history.ConversationHistory;
import io.queststream.streams.history.ScoringTask;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.moderation.ModerationPolicies;
import io.queststream.streams.moderation.ModerationPolicy;
import io.queststream.streams.moderation.PolicyInstaller;
import io.queststream.streams.moderation.PolicyRejectionListener;
import io.queststream.streams.moderation.PolicyValidator;
import io.queststream.streams.scoring.ScoredTurn;
import io.queststream.streams.scoring.TurnScores;
import io.queststream.streams.serde.JsonSerde;
import io.queststream.streams.topics.Topics;
import io.queststream.streams.weights.WeightsGate;
import io.queststream.streams.weights.WeightsInstaller;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The scoring topology, in the order a turn travels (docs/architecture.md#1-data-path):
 *
 * <pre>
 * reward-weights ─► verify (model, signature, version, bounds, canary) ─► hot-swap heads (global)        character-cards ─► global table
 * moderation-policies ─► verify (key, attributes, finite thresholds) ─► per-character and per-tag rules (global)
 * chat-turns ─► validate ─► turn id already used? ─┬─► dead letters (domain rule broken, duplicate turn id)
 *                                                  └─► conversation history ─► assistant turns + context
 *     ─► character card lookup ─► micro-batch buffer ─► model ─┬─► dead letters (batch failed)
 *                                                             └─► turn-scores, turn-embeddings,
 *                                      moderation-events (rules of the character, its card's tags, or global)
 *                                                             └─► turn-scores-shadow, while a candidate version is
 *                                                                 shadowed: its score from the same embeddings
 * </pre>
 */
public final class ScoringTopology {

  public static final String HISTORY_STORE = "conversation-history";
  public static final String BUFFER_STORE = "micro-batch-buffer";
  public static final String TURN_IDS_STORE = "turn-ids";
  public static final String CARDS_STORE = "character-cards";
  public static final String WEIGHTS_STORE = "reward-weights";
  public static final String POLICIES_STORE = "moderation-policies";

  private final AppConfig config;
  private final Topics topics;
  private final RewardScorer scorer;
  private final ScoringMetrics metrics;
  private final WeightsGate weightsGate;
  private final Supplier<BatchingConfig> batching;
  private final ModerationPolicies policies;
  private final PolicyRejectionListener policyRejections;

  /** @param batching the micro-batching limits in force, which may change while the app runs */
  public ScoringTopology(AppConfig config, Topics topics, RewardScorer scorer, ScoringMetrics metrics,
      WeightsGate weightsGate, Supplier<BatchingConfig> batching, ModerationPolicies policies,
      PolicyRejectionListener policyRejections) {
    this.config = config;
    this.topics = topics;
    this.scorer = scorer;
    this.metrics = metrics;
    this.weightsGate = weightsGate;
    this.batching = batching;
    this.policies = policies;
    this.policyRejections = policyRejections;
  }

  public Topology build() {
    StreamsBuilder builder = new StreamsBuilder();
    followRewardWeights(builder);
    followModerationPolicies(builder);
    GlobalKTable<String, CharacterCard> cards = builder.globalTable(topics.characterCards().name(),
        topics.characterCards().consumed(),
        Materialized.<String, CharacterCard, KeyValueStore<Bytes, byte[]>>as(CARDS_STORE)
            .withKeySerde(topics.characterCards().keySerde())
            .withValueSerde(topics.characterCards().valueSerde()));
    addChangeloggedStores(builder);

    TurnValidator validator = new TurnValidator(config.maxTextChars());
    Map<String, KStream<String, ValidatedTurn>> validated = DecodingSource
        .stream(builder, topics.chatTurns().name(), topics.chatTurns().keySerde(), topics.chatTurns().valueSerde(),
            topics.deadLetters().name(), metrics)
        .mapValues((key, turn) -> new ValidatedTurn(turn, validator.validate(key, turn).orElse(null)),
            Named.as("validate-turn"))
        .processValues(() -> new DuplicateTurnFilter(TURN_IDS_STORE, config.turnIdRetention(), metrics),
            Named.as("duplicate-turn-ids"), TURN_IDS_STORE)
        .split(Named.as("turn-"))
        .branch((key, v) -> v.rejected(), Branched.as("rejected"))
        .defaultBranch(Branched.as("valid"));
    toDeadLetters(validated.get("turn-rejected"), ValidatedTurn::turn,
        v -> Cause.of(DeadLetterKind.VALIDATION, v.rejection().reason().name(), v.rejection().message()),
        v -> null, "rejected-turn");

    KStream<String, ScoringTask> assistantTurns = validated.get("turn-valid")
        .mapValues(ValidatedTurn::turn, Named.as("valid-turn"))
        .process(() -> new ConversationHistoryProcessor(HISTORY_STORE, config.history(), scorer, metrics),
            Named.as("conversation-history"), HISTORY_STORE);

    RestoredTurnGate restoredTurns = new RestoredTurnGate();
    KStream<String, ScoringTask> withCards = assistantTurns.leftJoin(cards,
        (conversationId, task) -> task.turn().getCharacterId(),
        ScoringTask::withCard,
        Named.as("character-card-lookup"));

    Map<String, KStream<String, ScoringOutcome>> outcomes = withCards
        .process(() -> new MicroBatchScorer(BUFFER_STORE, batching, scorer, metrics, restoredTurns,
                config.recovery().modelCallAttempts()),
            Named.as("micro-batch-scorer"), BUFFER_STORE)
        .split(Named.as("outcome-"))
        .branch((key, o) -> o.failed(), Branched.as("failed"))
        .defaultBranch(Branched.as("scored"));
    toDeadLetters(outcomes.get("outcome-failed"), ScoringOutcome::turn,
        o -> new Cause(DeadLetterKind.SCORING, scoringFailureReason(o.failure()), o.failure().getMessage(),
            o.failure()),
        o -> o.source() == null ? null
            : new Source(o.source().topic(), o.source().partition(), o.source().offset()),
        "unscored-turn");

    KStream<String, ScoredTurn> scored = outcomes.get("outcome-scored")
        .mapValues(ScoredTurn::of, Named.as("to-turn-score"))
        .peek((key, s) -> countCharacterMissing(s), Named.as("count-characters-missing"));
    scored.mapValues(ScoredTurn::score, Named.as("turn-score"))
        .to(topics.turnScores().name(), topics.turnScores().produced());

    ModerationPolicy moderation = new ModerationPolicy(policies);
    scored.processValues(() -> new ModerationStep(CARDS_STORE, moderation, metrics), Named.as("moderation-rules"))
        .to(topics.moderationEvents().name(), topics.moderationEvents().produced());
    scored.processValues(() -> new ShadowStep(CARDS_STORE, moderation, metrics), Named.as("shadow-score"))
        .to(topics.shadowScores().name(), topics.shadowScores().produced());

    if (config.embeddingsEnabled()) {
      scored.map((key, s) -> KeyValue.pair(s.score().getTurnId(), TurnScores.embedding(s.outcome())),
              Named.as("turn-embedding"))
          .to(topics.turnEmbeddings().name(), topics.turnEmbeddings().produced());
    }
    return builder.build();
  }

  private void followRewardWeights(StreamsBuilder builder) {
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WEIGHTS_STORE), Serdes.String(),
            topics.rewardWeights().valueSerde()).withLoggingDisabled(),
        topics.rewardWeights().name(),
        topics.rewardWeights().consumed(),
        () -> new WeightsInstaller(WEIGHTS_STORE, weightsGate));
  }

  private void followModerationPolicies(StreamsBuilder builder) {
    String topic = topics.moderationPolicies().name();
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(POLICIES_STORE), Serdes.String(),
            Serdes.ByteArray()).withLoggingDisabled(),
        topic,
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-" + topic),
        () -> new PolicyInstaller(POLICIES_STORE, topic, topics.moderationPolicies().valueSerde().deserializer(),
            new PolicyValidator(config.weights().attributes()), policies, policyRejections));
  }

  private void addChangeloggedStores(StreamsBuilder builder) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE),
        Serdes.String(), new JsonSerde<>(ConversationHistory.class)));
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUFFER_STORE),
        Serdes.Long(), new JsonSerde<>(PendingTurn.class)));
    // Window size = retention: each id is one entry, dropped with its segment once the retention has passed.
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(TURN_IDS_STORE,
        config.turnIdRetention(), config.turnIdRetention(), false), Serdes.String(), Serdes.Long()));
  }

  private <V> void toDeadLetters(KStream<String, V> stream, Function<V, ChatTurn> turn, Function<V, Cause> cause,
      Function<V, Source> knownSource, String name) {
    stream.process(() -> new DeadLetterWriter<>(topics.chatTurns().valueSerde().serializer(),
                topics.chatTurns().name(), turn, cause, knownSource, metrics), Named.as(name + "-dead-letter"))
        .to(topics.deadLetters().name(), topics.deadLetters().produced().withName(name + "-write-dead-letter"));
  }

  /** A turn the model can never score names its own cause; any other failure is a failed scoring call. */
  private static String scoringFailureReason(Exception failure) {
    return failure instanceof UnscorableTurnException u ? u.reason().name() : "SCORING_FAILED";
  }

  private void countCharacterMissing(ScoredTurn s) {
    if (s.outcome().characterMissing()) {
      metrics.characterMissing();
    }
  }
}
