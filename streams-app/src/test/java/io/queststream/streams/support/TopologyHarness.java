package io.queststream.streams.support;

import io.queststream.model.api.RewardScorer;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.ModerationRules;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnEmbedding;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.batching.BatchingLimits;
import io.queststream.streams.batching.PendingTurn;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.moderation.ModerationPolicies;
import io.queststream.streams.moderation.PolicyRejection;
import io.queststream.streams.topics.Topics;
import io.queststream.streams.topology.ScoringTopology;
import io.queststream.streams.weights.WeightsGate;
import io.queststream.streams.weights.WeightsRejection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scoring topology on Kafka Streams' TopologyTestDriver, with the hashing scorer (or a given one) and an in-JVM
 * schema registry: input topics, output topics and wall-clock control.
 */
public final class TopologyHarness implements AutoCloseable {

  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** The stand-in model; null when the harness runs another scorer. */
  public final HashingScorer scorer;
  public final ScoringMetrics metrics = ScoringMetrics.standalone();
  public final List<WeightsRejection> rejections = new CopyOnWriteArrayList<>();
  public final List<PolicyRejection> policyRejections = new CopyOnWriteArrayList<>();
  public final ModerationPolicies policies;
  public final AppConfig config;
  /** The micro-batching limits in force, changeable while the harness runs. */
  public final BatchingLimits batching;
  public final Topics topics;
  public final TopologyTestDriver driver;
  public final TestInputTopic<String, ChatTurn> turns;
  public final TestInputTopic<String, byte[]> rawTurns;
  public final TestInputTopic<String, CharacterCard> cards;
  public final TestInputTopic<String, RewardHeads> weights;
  public final TestInputTopic<String, ModerationRules> moderationPolicies;
  public final TestInputTopic<String, byte[]> rawModerationPolicies;
  public final TestOutputTopic<String, TurnScore> scores;
  public final TestOutputTopic<String, ModerationEvent> moderation;
  public final TestOutputTopic<String, TurnEmbedding> embeddings;
  public final TestOutputTopic<byte[], byte[]> deadLetters;
  public final TestOutputTopic<String, ShadowScore> shadow;
  private final TemporaryStateDir stateDir;

  /** A harness with the hashing scorer and small batches (4 turns, 50 ms) over the given settings. */
  public TopologyHarness(Map<String, String> settings) {
    this(settings, new HashingScorer());
  }

  /** A harness with the given scorer and small batches (4 turns, 50 ms) over the given settings. */
  public TopologyHarness(Map<String, String> settings, RewardScorer model) {
    scorer = model instanceof HashingScorer hashing ? hashing : null;
    Map<String, String> values = new HashMap<>(Map.of(
        "batch.max-size", "4",
        "batch.max-wait-ms", "50",
        "schema.registry.url", "mock://topology-" + UUID.randomUUID(),
        "weights.trusted-keys", TestSigning.TRUSTED_KEYS));
    values.putAll(settings);
    config = AppConfig.from(values);
    topics = new Topics(config.topics(), config.clientProperties());
    var gate = new WeightsGate(config.weights(), config.weights().keys(), model, metrics, rejections::add);
    batching = new BatchingLimits(config.batching(), metrics.registry());
    policies = new ModerationPolicies(config.moderation());
    var topology = new ScoringTopology(config, topics, model, metrics, gate, batching, policies,
        policyRejections::add).build();
    Properties props = new Properties();
    props.putAll(config.streamsProperties());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // Its own state directory, so that two harnesses can be open at once.
    stateDir = TemporaryStateDir.create("topology-harness");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.path().toString());
    props.put(ScoringMetrics.CONFIG_KEY, metrics);
    driver = new TopologyTestDriver(topology, props, START);
    turns = driver.createInputTopic(topics.chatTurns().name(), Serdes.String().serializer(),
        topics.chatTurns().valueSerde().serializer());
    rawTurns = driver.createInputTopic(topics.chatTurns().name(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer());
    cards = driver.createInputTopic(topics.characterCards().name(), Serdes.String().serializer(),
        topics.characterCards().valueSerde().serializer());
    weights = driver.createInputTopic(topics.rewardWeights().name(), Serdes.String().serializer(),
        topics.rewardWeights().valueSerde().serializer());
    moderationPolicies = driver.createInputTopic(topics.moderationPolicies().name(), Serdes.String().serializer(),
        topics.moderationPolicies().valueSerde().serializer());
    rawModerationPolicies = driver.createInputTopic(topics.moderationPolicies().name(),
        Serdes.String().serializer(), Serdes.ByteArray().serializer());
    scores = driver.createOutputTopic(topics.turnScores().name(), Serdes.String().deserializer(),
        topics.turnScores().valueSerde().deserializer());
    moderation = driver.createOutputTopic(topics.moderationEvents().name(), Serdes.String().deserializer(),
        topics.moderationEvents().valueSerde().deserializer());
    embeddings = driver.createOutputTopic(topics.turnEmbeddings().name(), Serdes.String().deserializer(),
        topics.turnEmbeddings().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer());
    shadow = driver.createOutputTopic(topics.shadowScores().name(), Serdes.String().deserializer(),
        topics.shadowScores().valueSerde().deserializer());
  }

  public static TopologyHarness withWeights(Map<String, String> settings) {
    TopologyHarness h = new TopologyHarness(settings);
    h.publishWeights(1);
    return h;
  }

  public void publishWeights(long version) {
    weights.pipeInput(TestHeads.MODEL_NAME, TestHeads.of(HashingScorer.BACKBONE_ID, HashingScorer.DIM, version, version));
  }

  public void send(ChatTurn turn) {
    turns.pipeInput(turn.getConversationId(), turn);
  }

  public void advance(Duration d) {
    driver.advanceWallClockTime(d);
  }

  /**
   * For a real model, whose results complete on its own thread: moves wall-clock time on in ticks until every turn in
   * the micro-batch buffer has been forwarded (scored or dead-lettered); fails if some are still there after
   * {@code patience} of real time.
   */
  public void drain(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      driver.advanceWallClockTime(Duration.ofMillis(100));
      int buffered = bufferedTurns();
      if (buffered == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(buffered + " turns still buffered after " + patience);
      }
      Thread.sleep(20);
    }
  }

  /** Turns in the micro-batch buffer store. */
  public int bufferedTurns() {
    KeyValueStore<Long, PendingTurn> store = driver.getKeyValueStore(ScoringTopology.BUFFER_STORE);
    int n = 0;
    try (KeyValueIterator<Long, PendingTurn> it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  public ChatTurn decodeTurn(byte[] value) {
    return topics.chatTurns().valueSerde().deserializer().deserialize(topics.chatTurns().name(), value);
  }

  @Override
  public void close() {
    driver.close();
    stateDir.close();
  }
}
