package io.queststream.trainer.config;

import io.queststream.config.Catalogue;
import io.queststream.config.Setting;
import io.queststream.schemas.weights.WeightsContract;
import java.util.List;

/**
 * The trainer's settings, with defaults that work on a laptop. Keys under kafka. go to every Kafka client and keys
 * under serde. to the registry serdes, without the prefix; any other key must be one of these.
 */
public final class TrainerSettings {

  /** Environment variables: QUEST_TRAINER_ + the key upper-cased, '.' and '-' as '_'. */
  public static final String ENV_PREFIX = "QUEST_TRAINER_";
  public static final String KAFKA_PREFIX = "kafka.";
  public static final String SERDE_PREFIX = "serde.";

  public static final Setting KAFKA_BOOTSTRAP_SERVERS = new Setting("kafka.bootstrap.servers", "localhost:9092",
      "Kafka bootstrap servers");
  public static final Setting SCHEMA_REGISTRY_URL = new Setting("serde.schema.registry.url",
      "http://localhost:8081/apis/ccompat/v7", "Confluent-compatible schema registry base URL");
  // A registry call retries for up to 3 s; then the consumer rewinds and backs off (recovery.backoff.*).
  public static final Setting REGISTRY_MAX_BLOCK_MS = new Setting("serde.schema.registry.retry.max.block.ms", "3000",
      "How long one registry call retries before the feedback consumer rewinds and backs off (ms)");

  public static final Setting TOPIC_EMBEDDINGS = new Setting("topic.embeddings", "turn-embeddings",
      "Prompt and response embeddings published by the scoring app");
  public static final Setting TOPIC_RATINGS = new Setting("topic.ratings", "turn-ratings",
      "Attribute ratings of turns (feedback)");
  public static final Setting TOPIC_PREFERENCES = new Setting("topic.preferences", "turn-preferences",
      "Preference pairs and rankings (feedback)");
  public static final Setting TOPIC_WEIGHTS = new Setting("topic.weights", "reward-weights",
      "Compacted topic the trainer publishes weights versions to");
  public static final Setting TOPIC_SHADOW = new Setting("topic.shadow", "turn-scores-shadow",
      "Scores of the candidate version next to the serving ones, read to judge a shadowed candidate");
  public static final Setting TOPIC_DLQ = new Setting("topic.dlq", "trainer-dlq",
      "Dead-letter topic for feedback the trainer cannot use");

  public static final Setting WEIGHTS_MODEL_NAME = new Setting("weights.model-name", WeightsContract.MODEL_NAME,
      "The model whose weights versions are published (the weights topic's key)", List.of("model.name"));
  public static final Setting WEIGHTS_ATTRIBUTES = new Setting("weights.attributes",
      String.join(",", WeightsContract.QUEST_ATTRIBUTES),
      "Attribute names (comma-separated, in order) the heads are trained for", List.of("attributes"));
  public static final Setting SIGNING_KEY_FILE = new Setting("signing.key.file", "",
      "PEM Ed25519 private key every published version is signed with (made by 'trainer keygen')");
  public static final Setting SIGNING_KEY = new Setting("signing.key", "",
      "The same key inline: PEM text or its base64 (for an environment variable)");
  public static final Setting ID = new Setting("id", "",
      "Transactional id on the weights topic and static member id; stable across restarts so a restarted trainer "
          + "fences the old one (default: derived from the weights topic and model name)");

  public static final Setting BACKBONE_ID = new Setting("backbone.id", "sentence-transformers/all-MiniLM-L6-v2",
      "Backbone whose embeddings the heads are trained on; embeddings of any other backbone are rejected");
  public static final Setting BACKBONE_DIM = new Setting("backbone.dim", "384", "Width of the backbone's embeddings");
  public static final Setting BACKBONE_POOLING = new Setting("backbone.pooling", "mean",
      "Pooling of the backbone the heads are trained for (mean or last_token)");
  public static final Setting SCALE_MIN = new Setting("scale.min", "1", "Lowest value of the rating scale");
  public static final Setting SCALE_MAX = new Setting("scale.max", "10", "Highest value of the rating scale");

  public static final Setting BACKBONE_CALL_DEADLINE = new Setting("backbone.call-deadline", "PT5M",
      "A backbone call of bootstrap, recipe, evaluate or import running this long counts as hung (a wedged native "
          + "runtime or device): the command exits with status 5 instead of waiting for ever (ISO-8601 duration)");

  public static final Setting DATA_DIR = new Setting("data.dir", "trainer-data",
      "Feedback log, version history, reports and embedding cache");
  public static final Setting HTTP_HOST = new Setting("http.host", "127.0.0.1",
      "Address of the trainer's health and metrics endpoints");
  public static final Setting HTTP_PORT = new Setting("http.port", "8089",
      "Port of the trainer's health and metrics endpoints (0: any free port)");

  public static final Setting FEEDBACK_GRACE = new Setting("feedback.grace", "PT10M",
      "How long feedback waits for its turn's embeddings before it is dead-lettered (ISO-8601 duration)");
  public static final Setting RECOVERY_BACKOFF_INITIAL = new Setting("recovery.backoff.initial", "PT1S",
      "First wait after feedback could not be taken because a dependency failed; doubles per failure (ISO-8601)");
  public static final Setting RECOVERY_BACKOFF_MAX = new Setting("recovery.backoff.max", "PT30S",
      "Longest such wait (ISO-8601 duration)");

  public static final Setting HELDOUT_FRACTION = new Setting("heldout.fraction", "0.15",
      "Share of prompts held out for evaluation and the promotion gate");
  public static final Setting SPLIT_SEED = new Setting("split.seed", "42", "Seed of the train / held-out split");
  public static final Setting RETRAIN_EVERY_RECORDS = new Setting("retrain.every.records", "500",
      "Retrain after this many new feedback records");
  public static final Setting RETRAIN_EVERY = new Setting("retrain.every", "PT30M",
      "Retrain after this long when there is new feedback (ISO-8601 duration)");

  public static final Setting RIDGE_ALPHAS = new Setting("ridge.alphas", "1e-4,1e-3,1e-2,1e-1,1,10,100,1e3,1e4",
      "Ridge penalties tried per attribute (comma-separated); the best on validation folds is kept");
  public static final Setting GATING_HIDDEN = new Setting("gating.hidden", "1024", "Width of the gating MLP's layers");
  public static final Setting GATING_LAYERS = new Setting("gating.layers", "3", "Hidden layers of the gating MLP");
  public static final Setting GATING_DROPOUT = new Setting("gating.dropout", "0.2", "Dropout of the gating MLP");
  public static final Setting GATING_TEMPERATURE = new Setting("gating.temperature", "10",
      "Softmax temperature of the gating weights");
  public static final Setting GATING_STEPS = new Setting("gating.steps", "300", "Training steps of the gating MLP");
  public static final Setting GATING_BATCH = new Setting("gating.batch", "64", "Preference pairs per gating step");
  public static final Setting GATING_LR = new Setting("gating.lr", "1e-3", "Learning rate of the gating MLP (AdamW)");
  public static final Setting GATING_WEIGHT_DECAY = new Setting("gating.weight.decay", "0.01",
      "Weight decay of the gating MLP (AdamW)");
  public static final Setting GATING_SEED = new Setting("gating.seed", "17", "Seed of the gating MLP's training");
  public static final Setting VERBOSITY_SIGNAL = new Setting("verbosity.signal", "response_tokens",
      "What the verbosity transform decorrelates from: response_tokens, none or attribute:NAME");

  public static final Setting PROMOTION_ACCURACY_TOLERANCE = new Setting("promotion.accuracy.tolerance", "0.005",
      "How far a candidate's held-out accuracies may fall behind the current version's and still be published");
  public static final Setting PROMOTION_MSE_TOLERANCE = new Setting("promotion.mse.tolerance", "0.002",
      "How far a candidate's held-out attribute MSE may rise above the current version's and still be published");
  public static final Setting PROMOTION_PUBLISH_UNEVALUATED = new Setting("promotion.publish.unevaluated", "false",
      "Publish a candidate when there is no held-out data to evaluate it on");
  public static final Setting PROMOTION_BEAT_LENGTH_BASELINE = new Setting("promotion.beat.length.baseline", "false",
      "A candidate must also beat 'the longer reply wins' on the held-out set");

  public static final Setting PROMOTION_MODE = new Setting("promotion.mode", "direct",
      "What a version that passed the held-out gate becomes: direct (serving at once) or shadow (a candidate scored "
          + "alongside the serving version on live traffic, promoted only when the shadow criteria hold)");
  public static final Setting SHADOW_MIN_TURNS = new Setting("shadow.min-turns", "200",
      "Turns a candidate must have shadowed before it is judged");
  public static final Setting SHADOW_MIN_RANK_CORRELATION = new Setting("shadow.min-rank-correlation", "0.8",
      "Lowest Spearman correlation between the candidate's and the serving preference scores for a promotion");
  public static final Setting SHADOW_MAX_FLIP_RATE = new Setting("shadow.max-flip-rate", "0.05",
      "Highest share of shadowed turns whose moderation decision the candidate would change, for a promotion");
  public static final Setting SHADOW_MAX_MEAN_SHIFT = new Setting("shadow.max-mean-shift", "0.5",
      "Largest move of any attribute's mean reward (rating scale) from serving to candidate, for a promotion");
  public static final Setting SHADOW_CHECK_EVERY = new Setting("shadow.check.every", "PT10S",
      "How often the running trainer reads the shadow topic to judge its candidate");

  public static final Setting CALIBRATION_ELO = new Setting("calibration.elo", "",
      "Reference Elo per policy model, model=1200,other=1100 (calibrate; empty: ratings from preferences)");
  public static final Setting CALIBRATION_LAMBDA = new Setting("calibration.lambda", "10",
      "Weight of the prior that keeps calibrated attribute predictions near the ridge solution");
  public static final Setting CALIBRATION_STEPS = new Setting("calibration.steps", "300", "Calibration steps");
  public static final Setting CALIBRATION_BATCH = new Setting("calibration.batch", "256", "Pairs per calibration step");
  public static final Setting CALIBRATION_LR = new Setting("calibration.lr", "1e-3", "Calibration learning rate");
  public static final Setting CALIBRATION_SEED = new Setting("calibration.seed", "23", "Seed of the calibration");

  public static final List<Setting> ALL = List.of(KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, REGISTRY_MAX_BLOCK_MS,
      TOPIC_EMBEDDINGS, TOPIC_RATINGS, TOPIC_PREFERENCES, TOPIC_WEIGHTS, TOPIC_SHADOW, TOPIC_DLQ, WEIGHTS_MODEL_NAME,
      WEIGHTS_ATTRIBUTES, SIGNING_KEY_FILE, SIGNING_KEY, ID, BACKBONE_ID, BACKBONE_DIM, BACKBONE_POOLING, BACKBONE_CALL_DEADLINE,
      SCALE_MIN,
      SCALE_MAX, DATA_DIR, HTTP_HOST, HTTP_PORT, FEEDBACK_GRACE, RECOVERY_BACKOFF_INITIAL, RECOVERY_BACKOFF_MAX,
      HELDOUT_FRACTION, SPLIT_SEED, RETRAIN_EVERY_RECORDS, RETRAIN_EVERY, RIDGE_ALPHAS, GATING_HIDDEN, GATING_LAYERS,
      GATING_DROPOUT, GATING_TEMPERATURE, GATING_STEPS, GATING_BATCH, GATING_LR, GATING_WEIGHT_DECAY, GATING_SEED,
      VERBOSITY_SIGNAL, PROMOTION_ACCURACY_TOLERANCE, PROMOTION_MSE_TOLERANCE, PROMOTION_PUBLISH_UNEVALUATED,
      PROMOTION_BEAT_LENGTH_BASELINE, PROMOTION_MODE, SHADOW_MIN_TURNS,
      SHADOW_MIN_RANK_CORRELATION, SHADOW_MAX_FLIP_RATE, SHADOW_MAX_MEAN_SHIFT, SHADOW_CHECK_EVERY, CALIBRATION_ELO, CALIBRATION_LAMBDA, CALIBRATION_STEPS, CALIBRATION_BATCH,
      CALIBRATION_LR, CALIBRATION_SEED);

  public static final Catalogue CATALOGUE =
      Catalogue.handingOnOnly(ENV_PREFIX, ALL, List.of(KAFKA_PREFIX, SERDE_PREFIX));

  private TrainerSettings() {}
}
