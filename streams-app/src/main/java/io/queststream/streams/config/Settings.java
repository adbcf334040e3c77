package io.queststream.streams.config;

import io.queststream.config.Catalogue;
import io.queststream.config.Setting;
import io.queststream.model.config.ModelSettings;
import io.queststream.schemas.weights.WeightsContract;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The application's own settings, with laptop-friendly defaults. */
public final class Settings {

  public static final Setting TOPIC_CHAT_TURNS = topic("chat-turns", "Conversation turns to score (key conversation_id)");
  public static final Setting TOPIC_CHARACTER_CARDS =
      topic("character-cards", "Character cards, compacted, read as a global table (key character_id)");
  public static final Setting TOPIC_TURN_SCORES = topic("turn-scores", "Scores of assistant turns (key conversation_id)");
  public static final Setting TOPIC_MODERATION_EVENTS =
      topic("moderation-events", "Turns that broke a moderation rule (key conversation_id)");
  public static final Setting TOPIC_TURN_EMBEDDINGS =
      topic("turn-embeddings", "Prompt and response embeddings for the trainer (key turn_id)");
  public static final Setting TOPIC_REWARD_WEIGHTS =
      topic("reward-weights", "Reward heads, compacted, large records (key model name)");
  public static final Setting TOPIC_TURN_PREFERENCES = topic("turn-preferences",
      "Preference pairs and rankings, read for the live policy ratings (key context_id)");
  public static final Setting TOPIC_LEADERBOARDS = topic("leaderboards",
      "Windowed score aggregates per policy model and per character, compacted (key dimension/key/window start)");
  public static final Setting TOPIC_POLICY_RATINGS =
      topic("policy-ratings", "Elo ratings of the policy models per window, compacted (key window start)");
  public static final Setting TOPIC_DRIFT_ALERTS =
      topic("drift-alerts", "Drift alerts per policy model and per character (key dimension/key)");
  public static final Setting TOPIC_TURN_SELECTIONS = topic("turn-selections",
      "Which regeneration a user kept among the replies to one turn, turned into preference pairs (key conversation_id)");
  public static final Setting TOPIC_MODERATION_POLICIES = topic("moderation-policies",
      "Moderation thresholds per character or card tag, compacted, read on every instance (key character:ID, tag:TAG)");
  public static final Setting TOPIC_SHADOW_SCORES = topic("turn-scores-shadow",
      "Scores of a candidate weights version next to the serving ones while it is shadowed (key conversation_id)");
  public static final Setting TOPIC_DEAD_LETTERS =
      new Setting("topics.dead-letters", "scoring-dlq", "Dead-letter topic for every kind of bad input");
  public static final Setting TOPIC_PARTITIONS =
      new Setting("topics.partitions", "3", "Partitions of topics the app creates when they are missing");
  public static final Setting TOPIC_REPLICATION =
      new Setting("topics.replication-factor", "-1", "Replication factor of created topics (-1: broker default)");
  public static final Setting TOPIC_CREATE =
      new Setting("topics.create-missing", "true", "Create missing topics at start-up");

  public static final Setting BATCH_MAX_SIZE = new Setting("batch.max-size", "32",
      "Most assistant turns handed to the model together; a buffer this full is handed over at once");
  public static final Setting BATCH_TOKEN_BUDGET =
      new Setting("batch.token-budget", "8192", "A buffer whose turns hold this many tokens is handed over at once");
  public static final Setting BATCH_MAX_WAIT_MS = new Setting("batch.max-wait-ms", "50",
      "Turns are handed to the model as soon as its queue is empty; while it is busy, after this long at most (ms)");
  public static final Setting BATCH_MAX_IN_FLIGHT = new Setting("batch.max-in-flight", "64",
      "Most turns a task has handed to the model without a result yet; beyond it the stream thread slows its intake");
  public static final Setting BATCH_COMMIT_ON_RESULTS = new Setting("batch.commit-on-results", "true",
      "Commit as soon as scores are forwarded rather than at the next commit.interval.ms (lower latency)");

  public static final Setting STORES_MEMORY_MB = new Setting("stores.memory-mb", "64",
      "Off-heap memory all RocksDB state stores of the instance share: block cache and memtables (MiB; 0: RocksDB's "
          + "own sizes per store, about 100 MiB for each store of each task)");

  public static final Setting HISTORY_MAX_TURNS =
      new Setting("history.max-turns", "24", "Messages kept per conversation (oldest dropped first)");
  public static final Setting HISTORY_MAX_TOKENS =
      new Setting("history.max-tokens", "2048", "Tokens kept per conversation (oldest messages dropped first)");
  public static final Setting HISTORY_IDLE_EXPIRY_MS =
      new Setting("history.idle-expiry-ms", "86400000", "Forget a conversation after this much idle time (ms)");
  public static final Setting HISTORY_EXPIRY_SCAN_MS =
      new Setting("history.expiry-scan-interval-ms", "60000", "How often idle conversations are looked for (ms)");

  public static final Setting VALIDATION_MAX_TEXT_CHARS =
      new Setting("validation.max-text-chars", "16000", "Longer turn texts go to the dead-letter topic");
  public static final Setting VALIDATION_TURN_ID_RETENTION_MS = new Setting("validation.turn-id-retention-ms",
      "86400000", "How long a conversation's turn ids are remembered; a later copy goes to the dead-letter topic (ms)");

  public static final Setting MODERATION_SCORE_MIN = new Setting("moderation.score-min", "",
      "Preference scores below this raise a moderation event (empty: no score rule)");
  /** Per-attribute rules are keys moderation.attribute.SLUG.min; SLUG is the attribute name in kebab case. */
  public static final Setting MODERATION_ATTRIBUTE_MIN = new Setting("moderation.attribute." + Setting.SLUG + ".min", "",
      "Attribute rewards (on the rating scale) below this raise a moderation event; slug e.g. character-consistency");

  public static final Setting MODERATION_UNREADABLE_MAX_SHARE = new Setting("moderation.unreadable-max-share", "0.5",
      "Replies whose tokens are more than this share unknown to the tokenizer (emoji-only text for MiniLM) raise an "
          + "unreadable_text moderation event");

  public static final Setting EMBEDDINGS_ENABLED =
      new Setting("embeddings.enabled", "true", "Publish prompt and response embeddings to the embeddings topic");

  public static final Setting ANALYTICS_ENABLED = new Setting("analytics.enabled", "true",
      "Run the live analytics (leaderboards, policy ratings, drift alerts) as a second Kafka Streams app in this JVM");
  public static final Setting ANALYTICS_STREAM_THREADS = new Setting("analytics.stream-threads", "1",
      "Stream threads of the live analytics app (its own; num.stream.threads is the scoring app's)");
  public static final Setting ANALYTICS_COMMIT_INTERVAL_MS = new Setting("analytics.commit-interval-ms", "1000",
      "How often the live analytics commit (ms): their outputs' visibility delay; each commit is a transaction");
  public static final Setting ANALYTICS_WINDOW_SIZE_MS = new Setting("analytics.window-size-ms", "300000",
      "Size of the tumbling windows of the leaderboards and policy ratings (ms)");
  public static final Setting ANALYTICS_WINDOW_GRACE_MS = new Setting("analytics.window-grace-ms", "30000",
      "How far behind stream time a score or preference may arrive and still count in its window (ms)");
  public static final Setting ANALYTICS_CONFIDENCE_LEVEL = new Setting("analytics.confidence-level", "0.95",
      "Coverage of the leaderboards' Student-t confidence intervals, between 0 and 1");
  public static final Setting ANALYTICS_PREFERENCE_JOIN_WINDOW_MS = new Setting(
      "analytics.preference-join-window-ms", "3600000",
      "A preference counts in the policy ratings when each of its turns was scored within this time of it (ms)");
  public static final Setting DRIFT_DELTA = new Setting("analytics.drift.delta", "0.5",
      "Page-Hinkley delta: change of an attribute's mean (rating scale) tolerated without an alert");
  public static final Setting DRIFT_THRESHOLD = new Setting("analytics.drift.threshold", "50",
      "Page-Hinkley lambda: the cumulative deviation (rating scale) that raises a drift alert");
  public static final Setting DRIFT_MIN_OBSERVATIONS = new Setting("analytics.drift.min-observations", "30",
      "Scores a detector must have seen (since it started or last fired) before it may raise an alert");
  public static final Setting DRIFT_IDLE_EXPIRY_MS = new Setting("analytics.drift.idle-expiry-ms", "604800000",
      "Forget a policy model's or character's detectors after this much idle time (ms)");
  public static final Setting DRIFT_EXPIRY_SCAN_MS = new Setting("analytics.drift.expiry-scan-interval-ms", "3600000",
      "How often idle detectors are looked for (ms)");

  public static final Setting SELECTIONS_RESOLVE_TIMEOUT_MS = new Setting("analytics.selections.resolve-timeout-ms",
      "300000", "A selection whose chosen turn has no score after this long goes to the dead-letter topic (ms)");
  public static final Setting SELECTIONS_RETENTION_MS = new Setting("analytics.selections.retention-ms", "86400000",
      "How long the scored replies of a parent turn, and its selection, are remembered for selections (ms)");
  public static final Setting SELECTIONS_SCAN_INTERVAL_MS = new Setting("analytics.selections.scan-interval-ms",
      "10000", "How often selections waiting for their turn and expired parents are looked for (ms)");

  public static final Setting WEIGHTS_MODEL_NAME = new Setting("weights.model-name", WeightsContract.MODEL_NAME,
      "The model whose weights are installed; weights records of any other model are rejected");
  public static final Setting WEIGHTS_ATTRIBUTES = new Setting("weights.attributes",
      String.join(",", WeightsContract.QUEST_ATTRIBUTES),
      "Attribute names (comma-separated, in order) weights records must carry; moderation rules must name one");
  public static final Setting WEIGHTS_TRUSTED_KEYS = new Setting("weights.trusted-keys", "",
      "Ed25519 public keys (base64 X.509 or PEM, comma-separated) whose signed weights are installed");
  public static final Setting WEIGHTS_TRUSTED_KEYS_FILE = new Setting("weights.trusted-keys-file", "",
      "File of PEM Ed25519 public keys whose signed weights are installed (with weights.trusted-keys)");
  public static final Setting WEIGHTS_INITIAL_FILE = new Setting("weights.initial-file", "",
      "Avro data file with RewardHeads installed at start-up, before the weights topic is read");

  public static final Setting HTTP_HOST =
      new Setting("http.host", "127.0.0.1", "Address of the health and metrics endpoints");
  public static final Setting HTTP_PORT =
      new Setting("http.port", "8088", "Port of the health and metrics endpoints (0: any free port)");
  public static final Setting HTTP_ADMIN_TOKEN = new Setting("http.admin-token", "",
      "Bearer token that admits changes at run time (POST /admin/batching); empty: the admin endpoint is off");

  public static final Setting RECOVERY_BACKOFF_INITIAL_MS = new Setting("recovery.backoff-initial-ms", "1000",
      "First wait before a stream thread stopped by a failing dependency (registry, brokers, disk) is replaced and "
          + "reads its records again (ms); doubles per consecutive failure");
  public static final Setting RECOVERY_BACKOFF_MAX_MS = new Setting("recovery.backoff-max-ms", "30000",
      "Longest wait between two attempts to process after a dependency failed (ms)");
  public static final Setting HEALTH_STALL_TIMEOUT_MS = new Setting("health.stall-timeout-ms", "120000",
      "Report a stall (readiness, quest_processing_stalled) when input waits and nothing was committed this long (ms)");

  public static final Setting HEALTH_MODEL_CALL_DEADLINE_MS = new Setting("health.model-call-deadline-ms", "300000",
      "A model call running this long counts as hung (a wedged native runtime or device): /health/live fails and the "
          + "app stops with exit status 1, so that its supervisor restarts it and the turns are scored again (ms)");

  public static final Setting HEALTH_MODEL_CALL_ATTEMPTS = new Setting("health.model-call-attempts", "3",
      "Times a turn may be handed to the model with the process ending before its outcome (a hung or crashing model "
          + "call); after a restart such a turn runs alone, one at a time, and one handed over this many times is "
          + "dead-lettered as MODEL_NEVER_FINISHED instead of being handed over again");

  public static final Setting SHUTDOWN_TIMEOUT_MS =
      new Setting("shutdown.timeout-ms", "30000", "How long a graceful shutdown may take (ms)");

  public static final List<Setting> ALL = List.of(TOPIC_CHAT_TURNS, TOPIC_CHARACTER_CARDS, TOPIC_TURN_SCORES,
      TOPIC_MODERATION_EVENTS, TOPIC_TURN_EMBEDDINGS, TOPIC_REWARD_WEIGHTS, TOPIC_TURN_PREFERENCES, TOPIC_LEADERBOARDS,
      TOPIC_POLICY_RATINGS, TOPIC_DRIFT_ALERTS, TOPIC_TURN_SELECTIONS, TOPIC_MODERATION_POLICIES, TOPIC_SHADOW_SCORES,
      TOPIC_DEAD_LETTERS,
      TOPIC_PARTITIONS,
      TOPIC_REPLICATION, TOPIC_CREATE, BATCH_MAX_SIZE, BATCH_TOKEN_BUDGET, BATCH_MAX_WAIT_MS, BATCH_MAX_IN_FLIGHT,
      BATCH_COMMIT_ON_RESULTS, STORES_MEMORY_MB, HISTORY_MAX_TURNS, HISTORY_MAX_TOKENS, HISTORY_IDLE_EXPIRY_MS, HISTORY_EXPIRY_SCAN_MS,
      VALIDATION_MAX_TEXT_CHARS, VALIDATION_TURN_ID_RETENTION_MS, MODERATION_SCORE_MIN, MODERATION_ATTRIBUTE_MIN,
      MODERATION_UNREADABLE_MAX_SHARE, EMBEDDINGS_ENABLED,
      ANALYTICS_ENABLED, ANALYTICS_STREAM_THREADS, ANALYTICS_COMMIT_INTERVAL_MS,
      ANALYTICS_WINDOW_SIZE_MS, ANALYTICS_WINDOW_GRACE_MS, ANALYTICS_CONFIDENCE_LEVEL,
      ANALYTICS_PREFERENCE_JOIN_WINDOW_MS, DRIFT_DELTA, DRIFT_THRESHOLD, DRIFT_MIN_OBSERVATIONS, DRIFT_IDLE_EXPIRY_MS,
      DRIFT_EXPIRY_SCAN_MS, SELECTIONS_RESOLVE_TIMEOUT_MS, SELECTIONS_RETENTION_MS, SELECTIONS_SCAN_INTERVAL_MS,
      WEIGHTS_MODEL_NAME, WEIGHTS_ATTRIBUTES, WEIGHTS_TRUSTED_KEYS, WEIGHTS_TRUSTED_KEYS_FILE,
      WEIGHTS_INITIAL_FILE, HTTP_HOST, HTTP_PORT, HTTP_ADMIN_TOKEN, RECOVERY_BACKOFF_INITIAL_MS, RECOVERY_BACKOFF_MAX_MS,
      HEALTH_STALL_TIMEOUT_MS, HEALTH_MODEL_CALL_DEADLINE_MS, HEALTH_MODEL_CALL_ATTEMPTS, SHUTDOWN_TIMEOUT_MS);

  /**
   * The app's catalogue: its own settings and the reward model's (model.*), read from QUEST_* environment variables.
   * Every other key goes to Kafka Streams, the Kafka clients and the serdes, except unknown model.* keys, which are
   * refused.
   */
  public static final Catalogue CATALOGUE = Catalogue.handingOnAllBut(ConfigLoader.ENV_PREFIX,
      Stream.concat(ALL.stream(), ModelSettings.ALL.stream()).toList(), List.of(ModelSettings.PREFIX));

  private Settings() {}

  private static Setting topic(String name, String description) {
    return new Setting("topics." + name, name, description);
  }

  /** True for keys the application reads itself; every other key goes to Kafka. */
  public static boolean isApplicationKey(String key) {
    return !CATALOGUE.isHandedOn(key);
  }

  static Optional<String> attributeRuleSlug(String key) {
    return MODERATION_ATTRIBUTE_MIN.slugOf(key);
  }
}
