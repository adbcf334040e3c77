package io.queststream.streams.config;

import java.util.List;
import java.util.Optional;

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
  public static final Setting MODERATION_ATTRIBUTE_MIN = new Setting("moderation.attribute.<slug>.min", "",
      "Attribute rewards (on the rating scale) below this raise a moderation event; slug e.g. character-consistency");

  public static final Setting EMBEDDINGS_ENABLED =
      new Setting("embeddings.enabled", "true", "Publish prompt and response embeddings to the embeddings topic");

  public static final Setting WEIGHTS_MODEL_NAME = new Setting("weights.model-name", "",
      "Only install weights records with this model name (empty: any)");
  public static final Setting WEIGHTS_INITIAL_FILE = new Setting("weights.initial-file", "",
      "Avro data file with RewardHeads installed at start-up, before the weights topic is read");

  public static final Setting HTTP_HOST =
      new Setting("http.host", "127.0.0.1", "Address of the health and metrics endpoints");
  public static final Setting HTTP_PORT =
      new Setting("http.port", "8088", "Port of the health and metrics endpoints (0: any free port)");

  public static final Setting SHUTDOWN_TIMEOUT_MS =
      new Setting("shutdown.timeout-ms", "30000", "How long a graceful shutdown may take (ms)");

  public static final List<Setting> ALL = List.of(TOPIC_CHAT_TURNS, TOPIC_CHARACTER_CARDS, TOPIC_TURN_SCORES,
      TOPIC_MODERATION_EVENTS, TOPIC_TURN_EMBEDDINGS, TOPIC_REWARD_WEIGHTS, TOPIC_DEAD_LETTERS, TOPIC_PARTITIONS,
      TOPIC_REPLICATION, TOPIC_CREATE, BATCH_MAX_SIZE, BATCH_TOKEN_BUDGET, BATCH_MAX_WAIT_MS, BATCH_MAX_IN_FLIGHT,
      BATCH_COMMIT_ON_RESULTS, HISTORY_MAX_TURNS, HISTORY_MAX_TOKENS, HISTORY_IDLE_EXPIRY_MS, HISTORY_EXPIRY_SCAN_MS,
      VALIDATION_MAX_TEXT_CHARS, VALIDATION_TURN_ID_RETENTION_MS, MODERATION_SCORE_MIN, MODERATION_ATTRIBUTE_MIN, EMBEDDINGS_ENABLED, WEIGHTS_MODEL_NAME, WEIGHTS_INITIAL_FILE,
      HTTP_HOST, HTTP_PORT, SHUTDOWN_TIMEOUT_MS);

  /** Prefix of settings handed to the reward model (model.*); the model module documents its own keys. */
  public static final String MODEL_PREFIX = "model.";

  private static final String ATTRIBUTE_RULE_PREFIX = "moderation.attribute.";
  private static final String ATTRIBUTE_RULE_SUFFIX = ".min";

  private Settings() {}

  private static Setting topic(String name, String description) {
    return new Setting("topics." + name, name, description);
  }

  /** True for keys the application reads itself; every other key goes to Kafka. */
  public static boolean isApplicationKey(String key) {
    return ALL.stream().anyMatch(s -> s.key().equals(key)) || attributeRuleSlug(key).isPresent()
        || key.startsWith(MODEL_PREFIX);
  }

  static Optional<String> attributeRuleSlug(String key) {
    if (key.startsWith(ATTRIBUTE_RULE_PREFIX) && key.endsWith(ATTRIBUTE_RULE_SUFFIX)
        && key.length() > ATTRIBUTE_RULE_PREFIX.length() + ATTRIBUTE_RULE_SUFFIX.length()) {
      return Optional.of(key.substring(ATTRIBUTE_RULE_PREFIX.length(), key.length() - ATTRIBUTE_RULE_SUFFIX.length()));
    }
    return Optional.empty();
  }
}
