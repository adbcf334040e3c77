package io.queststream.streams.config;

import io.queststream.config.ConfigException;
import io.queststream.config.SettingValues;
import io.queststream.model.config.ModelSettings;
import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.registry.RegistryClientConfig;
import io.queststream.streams.errors.CountingDeserializationExceptionHandler;
import io.queststream.streams.errors.CountingProcessingExceptionHandler;
import io.queststream.streams.errors.TransientAwareProductionExceptionHandler;
import io.queststream.streams.state.SharedRocksDbMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The scoring app's configuration: typed application settings plus the Kafka keys passed through untouched. */
public record AppConfig(
    TopicNames topics,
    int topicPartitions,
    short topicReplicationFactor,
    boolean createMissingTopics,
    BatchingConfig batching,
    HistoryConfig history,
    int maxTextChars,
    Duration turnIdRetention,
    ModerationThresholds moderation,
    boolean embeddingsEnabled,
    AnalyticsConfig analytics,
    WeightsConfig weights,
    String httpHost,
    int httpPort,
    String httpAdminToken,
    RecoveryConfig recovery,
    Duration shutdownTimeout,
    long stateMemoryBytes,
    Map<String, String> kafka,
    Map<String, String> model) {

  public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:8081/apis/ccompat/v7";

  /**
   * How long a registry call on a stream thread retries before the thread gives up on the record (it is read again
   * after the thread is replaced). Well below Kafka Streams' exactly-once transaction timeout (10 s) and the poll
   * interval, so a registry blip costs neither a fenced transaction nor a rebalance.
   */
  public static final String DEFAULT_REGISTRY_MAX_BLOCK_MS = "3000";

  public AppConfig {
    kafka = Map.copyOf(kafka);
    model = Map.copyOf(model);
  }

  public static AppConfig defaults() {
    return from(Map.of());
  }

  /**
   * Reads application settings from the map; every other key becomes a Kafka key.
   *
   * @throws ConfigException for a value the app cannot use, or an unknown model.* key
   */
  public static AppConfig from(Map<String, String> values) {
    Settings.CATALOGUE.requireKnown(values);
    SettingValues v = new SettingValues(values);
    TopicNames topics = new TopicNames(v.text(Settings.TOPIC_CHAT_TURNS), v.text(Settings.TOPIC_CHARACTER_CARDS),
        v.text(Settings.TOPIC_TURN_SCORES), v.text(Settings.TOPIC_MODERATION_EVENTS),
        v.text(Settings.TOPIC_TURN_EMBEDDINGS), v.text(Settings.TOPIC_REWARD_WEIGHTS),
        v.text(Settings.TOPIC_TURN_PREFERENCES), v.text(Settings.TOPIC_LEADERBOARDS),
        v.text(Settings.TOPIC_POLICY_RATINGS), v.text(Settings.TOPIC_DRIFT_ALERTS), v.text(Settings.TOPIC_TURN_SELECTIONS),
        v.text(Settings.TOPIC_MODERATION_POLICIES), v.text(Settings.TOPIC_DEAD_LETTERS),
        v.text(Settings.TOPIC_SHADOW_SCORES));
    BatchingConfig batching = new BatchingConfig(v.integer(Settings.BATCH_MAX_SIZE),
        v.integer(Settings.BATCH_TOKEN_BUDGET), Duration.ofMillis(v.longValue(Settings.BATCH_MAX_WAIT_MS)),
        v.integer(Settings.BATCH_MAX_IN_FLIGHT), v.bool(Settings.BATCH_COMMIT_ON_RESULTS));
    HistoryConfig history = new HistoryConfig(v.integer(Settings.HISTORY_MAX_TURNS),
        v.integer(Settings.HISTORY_MAX_TOKENS), Duration.ofMillis(v.longValue(Settings.HISTORY_IDLE_EXPIRY_MS)),
        Duration.ofMillis(v.longValue(Settings.HISTORY_EXPIRY_SCAN_MS)));

    Map<String, Float> attributeMins = new HashMap<>();
    Map<String, String> kafka = new HashMap<>();
    Map<String, String> model = new HashMap<>();
    values.forEach((key, value) -> {
      Optional<String> slug = Settings.attributeRuleSlug(key);
      if (slug.isPresent()) {
        if (!value.isBlank()) {
          attributeMins.put(slug.get().toLowerCase(Locale.ROOT), SettingValues.parseFloat(key, value));
        }
      } else if (key.startsWith(ModelSettings.PREFIX)) {
        model.put(key, value);
      } else if (!Settings.isApplicationKey(key)) {
        kafka.put(key, value);
      }
    });
    long stateMemoryMb = v.longValue(Settings.STORES_MEMORY_MB);
    if (stateMemoryMb < 0) {
      throw new ConfigException(Settings.STORES_MEMORY_MB.key() + " must be 0 or more, was " + stateMemoryMb);
    }
    Optional<Float> scoreMin = v.optional(Settings.MODERATION_SCORE_MIN)
        .map(s -> SettingValues.parseFloat(Settings.MODERATION_SCORE_MIN.key(), s));
    WeightsConfig weights = new WeightsConfig(v.text(Settings.WEIGHTS_MODEL_NAME),
        v.list(Settings.WEIGHTS_ATTRIBUTES),
        v.text(Settings.WEIGHTS_TRUSTED_KEYS), v.optional(Settings.WEIGHTS_TRUSTED_KEYS_FILE).map(Path::of),
        v.optional(Settings.WEIGHTS_INITIAL_FILE).map(Path::of));
    ModerationThresholds moderation = new ModerationThresholds(scoreMin, attributeMins,
        v.decimalFloat(Settings.MODERATION_UNREADABLE_MAX_SHARE));
    moderation.requireKnownAttributes(weights.attributes());

    return new AppConfig(topics, v.integer(Settings.TOPIC_PARTITIONS),
        (short) v.integer(Settings.TOPIC_REPLICATION), v.bool(Settings.TOPIC_CREATE), batching, history,
        v.integer(Settings.VALIDATION_MAX_TEXT_CHARS), v.positiveDuration(Settings.VALIDATION_TURN_ID_RETENTION_MS),
        moderation, v.bool(Settings.EMBEDDINGS_ENABLED), analytics(v), weights, v.text(Settings.HTTP_HOST),
        v.integer(Settings.HTTP_PORT), v.text(Settings.HTTP_ADMIN_TOKEN),
        new RecoveryConfig(v.positiveDuration(Settings.RECOVERY_BACKOFF_INITIAL_MS),
            v.positiveDuration(Settings.RECOVERY_BACKOFF_MAX_MS), v.positiveDuration(Settings.HEALTH_STALL_TIMEOUT_MS),
            v.positiveDuration(Settings.HEALTH_MODEL_CALL_DEADLINE_MS), v.integer(Settings.HEALTH_MODEL_CALL_ATTEMPTS)),
        Duration.ofMillis(v.longValue(Settings.SHUTDOWN_TIMEOUT_MS)), stateMemoryMb * 1024 * 1024, kafka, model);
  }

  /**
   * Kafka Streams properties: the passed-through keys over the app's defaults (exactly-once, the built-in
   * dead-letter queue with counting handlers, large-record limits for the weights topic).
   */
  public Map<String, Object> streamsProperties() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "quest-stream-scoring");
    p.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    p.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters());
    p.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        CountingDeserializationExceptionHandler.class.getName());
    p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        CountingProcessingExceptionHandler.class.getName());
    p.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        TransientAwareProductionExceptionHandler.class.getName());
    p.putIfAbsent("schema.registry.url", DEFAULT_SCHEMA_REGISTRY_URL);
    p.putIfAbsent(RegistryClientConfig.RETRY_MAX_BLOCK_MS, DEFAULT_REGISTRY_MAX_BLOCK_MS);
    // A wall-clock punctuator can only fire between polls: keep polls short so max-wait flushes are on time.
    p.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, "10");
    p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        WeightsContract.MAX_RECORD_BYTES);
    WeightsContract.consumerLimits().forEach((k, v) -> p.putIfAbsent(StreamsConfig.consumerPrefix(k), v));
    if (stateMemoryBytes > 0 && p.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
        SharedRocksDbMemory.class.getName()) == null) {
      p.put(SharedRocksDbMemory.MEMORY_BYTES_CONFIG, stateMemoryBytes);
    }
    return p;
  }

  /** The stream threads' producer's {@code max.request.size}: its producer-prefixed setting, else the plain one. */
  public int producerMaxRequestBytes() {
    Map<String, Object> p = streamsProperties();
    Object v = p.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        p.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    return v == null ? DeadLetterLimit.KAFKA_DEFAULT : Integer.parseInt(v.toString());
  }

  /** Properties for plain clients (admin, producers) of the same cluster: the Kafka keys as given. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    p.putIfAbsent("schema.registry.url", DEFAULT_SCHEMA_REGISTRY_URL);
    p.putIfAbsent(RegistryClientConfig.RETRY_MAX_BLOCK_MS, DEFAULT_REGISTRY_MAX_BLOCK_MS);
    return p;
  }

  public AppConfig withKafka(String key, String value) {
    Map<String, String> k = new HashMap<>(kafka);
    k.put(key, value);
    return new AppConfig(topics, topicPartitions, topicReplicationFactor, createMissingTopics, batching, history,
        maxTextChars, turnIdRetention, moderation, embeddingsEnabled, analytics, weights, httpHost,
        httpPort, httpAdminToken, recovery, shutdownTimeout, stateMemoryBytes, k, model);
  }

  private static AnalyticsConfig analytics(SettingValues v) {
    double level = v.decimal(Settings.ANALYTICS_CONFIDENCE_LEVEL);
    if (!(level > 0 && level < 1)) {
      throw new ConfigException(Settings.ANALYTICS_CONFIDENCE_LEVEL.key() + " must be between 0 and 1, was " + level);
    }
    double delta = v.decimal(Settings.DRIFT_DELTA);
    if (delta < 0) {
      throw new ConfigException(Settings.DRIFT_DELTA.key() + " must not be negative, was " + delta);
    }
    double threshold = v.decimal(Settings.DRIFT_THRESHOLD);
    if (!(threshold > 0)) {
      throw new ConfigException(Settings.DRIFT_THRESHOLD.key() + " must be positive, was " + threshold);
    }
    int minObservations = v.integer(Settings.DRIFT_MIN_OBSERVATIONS);
    if (minObservations < 2) {
      throw new ConfigException(Settings.DRIFT_MIN_OBSERVATIONS.key() + " must be at least 2, was " + minObservations);
    }
    DriftConfig drift = new DriftConfig(delta, threshold, minObservations,
        v.positiveDuration(Settings.DRIFT_IDLE_EXPIRY_MS), v.positiveDuration(Settings.DRIFT_EXPIRY_SCAN_MS));
    int streamThreads = v.integer(Settings.ANALYTICS_STREAM_THREADS);
    if (streamThreads < 1) {
      throw new ConfigException(Settings.ANALYTICS_STREAM_THREADS.key() + " must be at least 1, was " + streamThreads);
    }
    SelectionsConfig selections = new SelectionsConfig(v.positiveDuration(Settings.SELECTIONS_RESOLVE_TIMEOUT_MS),
        v.positiveDuration(Settings.SELECTIONS_RETENTION_MS), v.positiveDuration(Settings.SELECTIONS_SCAN_INTERVAL_MS));
    return new AnalyticsConfig(v.bool(Settings.ANALYTICS_ENABLED), v.positiveDuration(Settings.ANALYTICS_WINDOW_SIZE_MS),
        Duration.ofMillis(v.nonNegativeLong(Settings.ANALYTICS_WINDOW_GRACE_MS)), level,
        v.positiveDuration(Settings.ANALYTICS_PREFERENCE_JOIN_WINDOW_MS), drift, selections, streamThreads,
        v.positiveDuration(Settings.ANALYTICS_COMMIT_INTERVAL_MS));
  }
}
