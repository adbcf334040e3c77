package io.queststream.demo.dashboard;

import io.queststream.demo.leaderboard.AnalyticsTopics;
import io.queststream.demo.leaderboard.LeaderboardTables;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.ModerationRules;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pipeline's outputs (committed records only) into {@link LiveStats} and the analytics into
 * {@link LeaderboardTables}, selections, swipe pairs and moderation policies into {@link SwipesAndPolicies}, keeps
 * the character cards, and completes pending "try it" requests when their score arrives.
 */
final class OutputFeed implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutputFeed.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DashboardTopics topics;
  private final LiveStats stats;
  private final LeaderboardTables leaderboards;
  private final AnalyticsTopics analytics;
  private final SwipesAndPolicies swipes;
  private final ShadowView shadow;
  private final Deserializer<ShadowScore> shadowScores;
  private final Deserializer<SpecificRecord> preferences;
  private final Deserializer<ModerationRules> policies;
  private final Deserializer<TurnScore> scores;
  private final Deserializer<ModerationEvent> moderation;
  private final Deserializer<RewardHeads> weights;
  private final Deserializer<CharacterCard> cards;
  private final Map<String, CharacterCard> characters = new ConcurrentSkipListMap<>();
  private final Map<String, CompletableFuture<TurnScore>> awaited = new ConcurrentHashMap<>();
  private final long startedAt = System.currentTimeMillis();

  OutputFeed(String bootstrap, Map<String, ?> serdeConfig, DashboardTopics topics, LiveStats stats,
      LeaderboardTables leaderboards, SwipesAndPolicies swipes, ShadowView shadow) {
    this.shadow = shadow;
    this.shadowScores = deserializer(ShadowScore.class, serdeConfig);
    this.topics = topics;
    this.stats = stats;
    this.leaderboards = leaderboards;
    this.swipes = swipes;
    RegistryAvroSerde<SpecificRecord> anyPreference = RegistryAvroSerde.anyOf(PreferencePair.class, Ranking.class);
    anyPreference.configure(serdeConfig, false);
    this.preferences = anyPreference.deserializer();
    this.policies = deserializer(ModerationRules.class, serdeConfig);
    this.analytics = new AnalyticsTopics(serdeConfig);
    this.scores = deserializer(TurnScore.class, serdeConfig);
    this.moderation = deserializer(ModerationEvent.class, serdeConfig);
    this.weights = deserializer(RewardHeads.class, serdeConfig);
    this.cards = deserializer(CharacterCard.class, serdeConfig);
    Map<String, Object> config = new HashMap<>(WeightsContract.consumerLimits());
    config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type,
      Map<String, ?> config) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type);
    serde.configure(config, false);
    return serde.deserializer();
  }

  /**
   * Cards, weights, moderation policies, analytics, selections, preferences and dead letters from the beginning (they
   * are state, and a weights rejection may predate the dashboard), scores and moderation events from now on; older
   * dead letters only mark rejected weights, they are not counted.
   */
  void assign() {
    List<TopicPartition> fromStart = new ArrayList<>();
    List<TopicPartition> fromEnd = new ArrayList<>();
    for (String t : List.of(topics.characterCards(), topics.rewardWeights(), topics.deadLetters(),
        topics.moderationPolicies(), topics.turnSelections(), topics.turnPreferences(), topics.shadowScores())) {
      fromStart.addAll(partitions(t));
    }
    for (String t : AnalyticsTopics.ALL) {
      fromStart.addAll(partitions(t));
    }
    for (String t : List.of(topics.turnScores(), topics.moderationEvents())) {
      fromEnd.addAll(partitions(t));
    }
    List<TopicPartition> all = new ArrayList<>(fromStart);
    all.addAll(fromEnd);
    consumer.assign(all);
    consumer.seekToBeginning(fromStart);
    consumer.seekToEnd(fromEnd);
  }

  private List<TopicPartition> partitions(String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  @Override
  public void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          handle(r);
        }
      }
    } catch (WakeupException closing) {
      // close() asked us to stop
    } finally {
      consumer.close();
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    String topic = r.topic();
    try {
      if (analytics.fold(r, leaderboards)) {
        return;
      }
      if (topic.equals(topics.deadLetters())) {
        String source = header(r, "__streams.errors.topic");
        if (source.equals(topics.rewardWeights())) {
          stats.onWeightsRejected(header(r, "__streams.errors.partition") + "@" + header(r, "__streams.errors.offset"),
              cause(r), header(r, "__streams.errors.message"));
        }
        if (r.timestamp() >= startedAt) {
          stats.onDeadLetter(cause(r), header(r, "__streams.errors.message"), source);
        }
        if (DeadLetterKind.SELECTION.tag().equals(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.KIND))) {
          swipes.onSelectionRefused(cause(r));
        }
      } else if (topic.equals(topics.moderationPolicies())) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        swipes.onPolicy(key, r.value() == null ? null : policies.deserialize(topic, r.value()));
      } else if (topic.equals(topics.rewardWeights()) && isCandidateKey(r)) {
        if (r.value() == null) {
          shadow.onWithdrawn(header(r, "quest.shadow.decision"), header(r, "quest.shadow.version"),
              header(r, "quest.shadow.reasons"));
        } else {
          RewardHeads candidate = weights.deserialize(topic, r.value());
          stats.onWeights(candidate, r.partition() + "@" + r.offset());
          shadow.onCandidate(candidate);
        }
      } else if (r.value() == null) {
        return;
      } else if (topic.equals(topics.shadowScores())) {
        shadow.onShadowScore(shadowScores.deserialize(topic, r.value()));
      } else if (topic.equals(topics.turnScores())) {
        TurnScore s = scores.deserialize(topic, r.value());
        stats.onScore(s, System.currentTimeMillis());
        CompletableFuture<TurnScore> waiting = awaited.remove(s.getTurnId());
        if (waiting != null) {
          waiting.complete(s);
        }
      } else if (topic.equals(topics.moderationEvents())) {
        stats.onModeration(moderation.deserialize(topic, r.value()));
      } else if (topic.equals(topics.rewardWeights())) {
        stats.onWeights(weights.deserialize(topic, r.value()), r.partition() + "@" + r.offset());
      } else if (topic.equals(topics.turnSelections())) {
        swipes.onSelection();
      } else if (topic.equals(topics.turnPreferences())) {
        swipes.onPreference(preferences.deserialize(topic, r.value()));
      } else if (topic.equals(topics.characterCards())) {
        CharacterCard card = cards.deserialize(topic, r.value());
        characters.put(card.getCharacterId(), card);
      }
    } catch (RuntimeException e) {
      log.warn("Skipping unreadable record at {}-{}@{}: {}", topic, r.partition(), r.offset(), e.getMessage());
    }
  }

  private static boolean isCandidateKey(ConsumerRecord<byte[], byte[]> r) {
    return r.key() != null && WeightsContract.isCandidateKey(new String(r.key(), StandardCharsets.UTF_8));
  }

  /** The app's reason (EMPTY_TEXT, BAD_MAGIC_BYTE, ...); a record without one shows its exception's simple name. */
  private static String cause(ConsumerRecord<?, ?> r) {
    String reason = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON);
    if (reason != null) {
      return reason;
    }
    String exception = header(r, DeadLetterHeaders.EXCEPTION);
    return exception.substring(exception.lastIndexOf('.') + 1);
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? "unknown" : new String(h.value(), StandardCharsets.UTF_8);
  }

  Map<String, CharacterCard> characters() {
    return characters;
  }

  /** A future completed when the score of {@code turnId} is read. */
  CompletableFuture<TurnScore> awaitScore(String turnId) {
    return awaited.computeIfAbsent(turnId, k -> new CompletableFuture<>());
  }

  void forget(String turnId) {
    awaited.remove(turnId);
  }

  @Override
  public void close() {
    consumer.wakeup();
  }
}
