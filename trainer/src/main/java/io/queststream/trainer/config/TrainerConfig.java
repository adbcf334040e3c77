package io.queststream.trainer.config;

import io.queststream.config.ConfigException;
import io.queststream.config.ConfigLoader;
import io.queststream.config.ConfigOptions;
import io.queststream.config.Setting;
import io.queststream.config.SettingValues;
import io.queststream.model.shadow.ShadowCriteria;
import io.queststream.model.signing.HeadsSigner;
import io.queststream.model.signing.SigningKeys;
import io.queststream.trainer.calibration.CalibrationConfig;
import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.promotion.PromotionMode;
import io.queststream.trainer.promotion.PromotionPolicy;
import io.queststream.trainer.ridge.RidgeTrainer;
import io.queststream.trainer.training.TrainingConfig;
import io.queststream.trainer.training.VerbositySignal;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trainer's typed configuration over its settings ({@link TrainerSettings}): a properties file, then
 * QUEST_TRAINER_* environment variables, then command-line overrides, over defaults that work on a laptop. Keys
 * prefixed "kafka." are passed to every Kafka client untouched (without the prefix); "serde." keys to the registry
 * serdes.
 */
public record TrainerConfig(Map<String, String> values) {

  public TrainerConfig {
    TrainerSettings.CATALOGUE.requireKnown(values);
    values = Map.copyOf(values);
  }

  /**
   * Reads a properties file (may be null) and the environment.
   *
   * @throws ConfigException for a key that is neither a setting nor a kafka./serde. key
   */
  public static TrainerConfig load(Path propertiesFile, Map<String, String> env) {
    return new TrainerConfig(ConfigLoader.values(TrainerSettings.CATALOGUE, Optional.ofNullable(propertiesFile), env,
        Map.of()));
  }

  /** Reads the command line's file and overrides and this process's environment. */
  public static TrainerConfig load(ConfigOptions commandLine) {
    return new TrainerConfig(commandLine.values(TrainerSettings.CATALOGUE,
        TrainerSettings.KAFKA_BOOTSTRAP_SERVERS.key(), TrainerSettings.SCHEMA_REGISTRY_URL.key(), System.getenv()));
  }

  /** The same configuration with one key set (a former key name sets the current key). */
  public TrainerConfig with(String key, String value) {
    Map<String, String> v = new HashMap<>(values);
    v.put(TrainerSettings.CATALOGUE.currentKey(key), value);
    return new TrainerConfig(v);
  }

  /** The value of a setting, its default when unset. */
  public String get(Setting setting) {
    return typed().text(setting);
  }

  private SettingValues typed() {
    return new SettingValues(values);
  }

  /** Kafka client properties: every "kafka." key without its prefix, over the kafka. settings' defaults. */
  public Map<String, Object> kafka() {
    return prefixed(TrainerSettings.KAFKA_PREFIX);
  }

  /** Serde properties: every "serde." key without its prefix, over the serde. settings' defaults. */
  public Map<String, Object> serde() {
    return prefixed(TrainerSettings.SERDE_PREFIX);
  }

  private Map<String, Object> prefixed(String prefix) {
    Map<String, Object> m = new HashMap<>();
    TrainerSettings.ALL.stream().filter(s -> s.key().startsWith(prefix))
        .forEach(s -> m.put(s.key().substring(prefix.length()), get(s)));
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return m;
  }

  /** A topic by its setting's last part: embeddings, ratings, preferences, weights or dlq. */
  public String topic(String name) {
    return get(TrainerSettings.CATALOGUE.settingOf("topic." + name)
        .orElseThrow(() -> new IllegalArgumentException("no topic setting topic." + name)));
  }

  public String modelName() {
    return get(TrainerSettings.WEIGHTS_MODEL_NAME);
  }

  /**
   * The key every published version is signed with: "signing.key.file" (a PEM Ed25519 private key, as written by
   * {@code trainer keygen} or {@code openssl genpkey -algorithm ed25519}) or "signing.key" (the same PEM text or its
   * base64, for QUEST_TRAINER_SIGNING_KEY). A trainer without one cannot publish.
   */
  public HeadsSigner signer() {
    String inline = get(TrainerSettings.SIGNING_KEY);
    String file = get(TrainerSettings.SIGNING_KEY_FILE);
    try {
      if (!inline.isBlank()) {
        return HeadsSigner.of(SigningKeys.privateKey(inline));
      }
      if (!file.isBlank()) {
        return HeadsSigner.of(SigningKeys.readPrivateKey(Path.of(file)));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read the signing key " + (inline.isBlank() ? file
          : "of signing.key (QUEST_TRAINER_SIGNING_KEY)") + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("no signing key: the trainer signs every weights version it publishes; set "
        + "signing.key.file (a PEM Ed25519 private key, made by 'trainer keygen') or QUEST_TRAINER_SIGNING_KEY");
  }

  /**
   * The trainer's identity (key "id", env QUEST_TRAINER_ID): its transactional id on the weights topic, and its
   * static consumer group member id. Stable across restarts so a restarted trainer fences the dead incarnation;
   * shared by every command that publishes, so only one of them publishes at a time. Default: derived from the
   * weights topic and the model name.
   */
  public String trainerId() {
    String id = get(TrainerSettings.ID);
    return id.isBlank() ? "quest-trainer-" + get(TrainerSettings.TOPIC_WEIGHTS) + "-" + modelName() : id;
  }

  public String backboneId() {
    return get(TrainerSettings.BACKBONE_ID);
  }

  public int dim() {
    return typed().integer(TrainerSettings.BACKBONE_DIM);
  }

  public String pooling() {
    return get(TrainerSettings.BACKBONE_POOLING);
  }

  public List<String> attributes() {
    return typed().list(TrainerSettings.WEIGHTS_ATTRIBUTES);
  }

  public float scaleMin() {
    return typed().decimalFloat(TrainerSettings.SCALE_MIN);
  }

  public float scaleMax() {
    return typed().decimalFloat(TrainerSettings.SCALE_MAX);
  }

  public Path dataDir() {
    return Path.of(get(TrainerSettings.DATA_DIR));
  }

  public String httpHost() {
    return get(TrainerSettings.HTTP_HOST);
  }

  public int httpPort() {
    return typed().integer(TrainerSettings.HTTP_PORT);
  }

  public Duration feedbackGrace() {
    return typed().isoDuration(TrainerSettings.FEEDBACK_GRACE);
  }

  /** How long one backbone call of a batch command may run before the command counts it as hung. */
  public Duration backboneCallDeadline() {
    return typed().isoDuration(TrainerSettings.BACKBONE_CALL_DEADLINE);
  }

  /** First wait after feedback could not be taken because a dependency failed (registry, disk, brokers). */
  public Duration recoveryBackoffInitial() {
    return typed().isoDuration(TrainerSettings.RECOVERY_BACKOFF_INITIAL);
  }

  /** Longest such wait; it doubles per consecutive failure. */
  public Duration recoveryBackoffMax() {
    return typed().isoDuration(TrainerSettings.RECOVERY_BACKOFF_MAX);
  }

  public double heldOutFraction() {
    return typed().decimal(TrainerSettings.HELDOUT_FRACTION);
  }

  public long splitSeed() {
    return typed().longValue(TrainerSettings.SPLIT_SEED);
  }

  public int retrainEveryRecords() {
    return typed().integer(TrainerSettings.RETRAIN_EVERY_RECORDS);
  }

  public Duration retrainEvery() {
    return typed().isoDuration(TrainerSettings.RETRAIN_EVERY);
  }

  public GatingConfig gating() {
    SettingValues v = typed();
    return new GatingConfig(v.integer(TrainerSettings.GATING_HIDDEN), v.integer(TrainerSettings.GATING_LAYERS),
        v.decimal(TrainerSettings.GATING_DROPOUT), v.decimalFloat(TrainerSettings.GATING_TEMPERATURE), 1f,
        v.integer(TrainerSettings.GATING_STEPS), v.integer(TrainerSettings.GATING_BATCH),
        v.decimal(TrainerSettings.GATING_LR), v.decimal(TrainerSettings.GATING_WEIGHT_DECAY),
        v.longValue(TrainerSettings.GATING_SEED));
  }

  public TrainingConfig training() {
    double[] alphas = typed().list(TrainerSettings.RIDGE_ALPHAS).stream()
        .mapToDouble(a -> SettingValues.finite(TrainerSettings.RIDGE_ALPHAS.key(), a)).toArray();
    return new TrainingConfig(attributes(), alphas.length == 0 ? RidgeTrainer.DEFAULT_ALPHAS : alphas, splitSeed(),
        gating(), VerbositySignal.parse(get(TrainerSettings.VERBOSITY_SIGNAL)), 5000);
  }

  public PromotionPolicy promotion() {
    SettingValues v = typed();
    return new PromotionPolicy(v.decimal(TrainerSettings.PROMOTION_ACCURACY_TOLERANCE),
        v.decimal(TrainerSettings.PROMOTION_MSE_TOLERANCE), v.bool(TrainerSettings.PROMOTION_PUBLISH_UNEVALUATED),
        v.bool(TrainerSettings.PROMOTION_BEAT_LENGTH_BASELINE));
  }

  /** What a version that passed the held-out gate becomes (promotion.mode). */
  public PromotionMode promotionMode() {
    return PromotionMode.parse(get(TrainerSettings.PROMOTION_MODE));
  }

  /** When a shadowed candidate is promoted (docs/shadow.md). */
  public ShadowCriteria shadowCriteria() {
    SettingValues v = typed();
    try {
      return new ShadowCriteria(v.longValue(TrainerSettings.SHADOW_MIN_TURNS),
          v.decimal(TrainerSettings.SHADOW_MIN_RANK_CORRELATION), v.decimal(TrainerSettings.SHADOW_MAX_FLIP_RATE),
          v.decimal(TrainerSettings.SHADOW_MAX_MEAN_SHIFT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  public Duration shadowCheckEvery() {
    return typed().isoDuration(TrainerSettings.SHADOW_CHECK_EVERY);
  }

  /** The calibration stage that fine-tunes W on the relabelled pairs (calibrate only). */
  public CalibrationConfig calibration() {
    SettingValues v = typed();
    return new CalibrationConfig(v.decimal(TrainerSettings.CALIBRATION_LAMBDA),
        v.integer(TrainerSettings.CALIBRATION_STEPS), v.integer(TrainerSettings.CALIBRATION_BATCH),
        v.decimal(TrainerSettings.CALIBRATION_LR), v.longValue(TrainerSettings.CALIBRATION_SEED));
  }

  /** Reference Elo per policy model, "model=1200,other=1100"; empty when ratings come from preferences. */
  public Map<String, Double> referenceElo() {
    Map<String, Double> m = new HashMap<>();
    for (String part : typed().list(TrainerSettings.CALIBRATION_ELO)) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new ConfigException("calibration.elo entries must be model=elo, was '" + part + "'");
      }
      m.put(kv[0].trim(), SettingValues.finite(TrainerSettings.CALIBRATION_ELO.key(), kv[1]));
    }
    return m;
  }
}
