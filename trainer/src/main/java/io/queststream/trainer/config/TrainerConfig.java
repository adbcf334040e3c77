package io.queststream.trainer.config;

import io.queststream.trainer.calibration.CalibrationConfig;
import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.promotion.PromotionPolicy;
import io.queststream.trainer.ridge.RidgeTrainer;
import io.queststream.trainer.training.TrainingConfig;
import io.queststream.trainer.training.VerbositySignal;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The trainer's typed configuration: a properties file, then environment overrides (QUEST_TRAINER_FOO_BAR for
 * foo.bar), then defaults that work on a laptop. Keys prefixed "kafka." are passed to every Kafka client untouched
 * (without the prefix); "serde." keys to the registry serdes.
 */
public record TrainerConfig(Map<String, String> values) {

  /** The QUEST attributes as rating records name them. */
  public static final List<String> QUEST_ATTRIBUTES = List.of("Contextual Alignment", "Character Consistency",
      "Descriptive Depth", "Role-Specific Knowledge", "Engagement and Collaboration",
      "Creativity and Emotional Nuance");

  private static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("kafka.bootstrap.servers", "localhost:9092"),
      Map.entry("serde.schema.registry.url", "http://localhost:8081/apis/ccompat/v7"),
      Map.entry("topic.embeddings", "turn-embeddings"),
      Map.entry("topic.ratings", "turn-ratings"),
      Map.entry("topic.preferences", "turn-preferences"),
      Map.entry("topic.weights", "reward-weights"),
      Map.entry("topic.dlq", "trainer-dlq"),
      Map.entry("model.name", "quest-rm"),
      Map.entry("id", ""),
      Map.entry("backbone.id", "sentence-transformers/all-MiniLM-L6-v2"),
      Map.entry("backbone.dim", "384"),
      Map.entry("backbone.pooling", "mean"),
      Map.entry("attributes", String.join(",", QUEST_ATTRIBUTES)),
      Map.entry("scale.min", "1"),
      Map.entry("scale.max", "10"),
      Map.entry("data.dir", "trainer-data"),
      Map.entry("http.host", "127.0.0.1"),
      Map.entry("http.port", "8089"),
      Map.entry("feedback.grace", "PT10M"),
      Map.entry("heldout.fraction", "0.15"),
      Map.entry("split.seed", "42"),
      Map.entry("retrain.every.records", "500"),
      Map.entry("retrain.every", "PT30M"),
      Map.entry("ridge.alphas", "1e-4,1e-3,1e-2,1e-1,1,10,100,1e3,1e4"),
      Map.entry("gating.hidden", "1024"),
      Map.entry("gating.layers", "3"),
      Map.entry("gating.dropout", "0.2"),
      Map.entry("gating.temperature", "10"),
      Map.entry("gating.steps", "300"),
      Map.entry("gating.batch", "64"),
      Map.entry("gating.lr", "1e-3"),
      Map.entry("gating.weight.decay", "0.01"),
      Map.entry("gating.seed", "17"),
      Map.entry("verbosity.signal", "response_tokens"),
      Map.entry("promotion.accuracy.tolerance", "0.005"),
      Map.entry("promotion.mse.tolerance", "0.002"),
      Map.entry("promotion.publish.unevaluated", "false"),
      Map.entry("promotion.beat.length.baseline", "false"),
      Map.entry("calibration.elo", ""),
      Map.entry("calibration.lambda", "10"),
      Map.entry("calibration.steps", "300"),
      Map.entry("calibration.batch", "256"),
      Map.entry("calibration.lr", "1e-3"),
      Map.entry("calibration.seed", "23"));

  public static TrainerConfig load(Path propertiesFile, Map<String, String> env) {
    Map<String, String> v = new HashMap<>(DEFAULTS);
    if (propertiesFile != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(propertiesFile)) {
        p.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read config " + propertiesFile, e);
      }
      p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
    }
    env.forEach((k, val) -> {
      if (k.startsWith("QUEST_TRAINER_")) {
        v.put(k.substring("QUEST_TRAINER_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), val);
      }
    });
    return new TrainerConfig(Map.copyOf(v));
  }

  public TrainerConfig with(String key, String value) {
    Map<String, String> v = new HashMap<>(values);
    v.put(key, value);
    return new TrainerConfig(Map.copyOf(v));
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing configuration key " + key);
    }
    return v;
  }

  private int integer(String key) {
    try {
      return Integer.parseInt(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, was '" + get(key) + "'", e);
    }
  }

  private double number(String key) {
    try {
      return Double.parseDouble(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was '" + get(key) + "'", e);
    }
  }

  private Duration duration(String key) {
    try {
      return Duration.parse(get(key));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT10M, was '" + get(key) + "'",
          e);
    }
  }

  /** Kafka client properties: every "kafka." key without its prefix. */
  public Map<String, Object> kafka() {
    return prefixed("kafka.");
  }

  /** Serde properties: every "serde." key without its prefix. */
  public Map<String, Object> serde() {
    return prefixed("serde.");
  }

  private Map<String, Object> prefixed(String prefix) {
    Map<String, Object> m = new HashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return m;
  }

  public String topic(String name) {
    return get("topic." + name);
  }

  public String modelName() {
    return get("model.name");
  }

  /**
   * The trainer's identity (key "id", env QUEST_TRAINER_ID): its transactional id on the weights topic, and its
   * static consumer group member id. Stable across restarts so a restarted trainer fences the dead incarnation;
   * shared by every command that publishes, so only one of them publishes at a time. Default: derived from the
   * weights topic and the model name.
   */
  public String trainerId() {
    String id = get("id");
    return id.isBlank() ? "quest-trainer-" + topic("weights") + "-" + modelName() : id;
  }

  public String backboneId() {
    return get("backbone.id");
  }

  public int dim() {
    return integer("backbone.dim");
  }

  public String pooling() {
    return get("backbone.pooling");
  }

  public List<String> attributes() {
    return Arrays.stream(get("attributes").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public float scaleMin() {
    return (float) number("scale.min");
  }

  public float scaleMax() {
    return (float) number("scale.max");
  }

  public Path dataDir() {
    return Path.of(get("data.dir"));
  }

  public String httpHost() {
    return get("http.host");
  }

  public int httpPort() {
    return integer("http.port");
  }

  public Duration feedbackGrace() {
    return duration("feedback.grace");
  }

  public double heldOutFraction() {
    return number("heldout.fraction");
  }

  public long splitSeed() {
    return Long.parseLong(get("split.seed"));
  }

  public int retrainEveryRecords() {
    return integer("retrain.every.records");
  }

  public Duration retrainEvery() {
    return duration("retrain.every");
  }

  public GatingConfig gating() {
    return new GatingConfig(integer("gating.hidden"), integer("gating.layers"), number("gating.dropout"),
        (float) number("gating.temperature"), 1f, integer("gating.steps"), integer("gating.batch"),
        number("gating.lr"), number("gating.weight.decay"), Long.parseLong(get("gating.seed")));
  }

  public TrainingConfig training() {
    double[] alphas = Arrays.stream(get("ridge.alphas").split(",")).map(String::trim).mapToDouble(Double::parseDouble)
        .toArray();
    return new TrainingConfig(attributes(), alphas.length == 0 ? RidgeTrainer.DEFAULT_ALPHAS : alphas, splitSeed(),
        gating(), VerbositySignal.parse(get("verbosity.signal")), 5000);
  }

  public PromotionPolicy promotion() {
    return new PromotionPolicy(number("promotion.accuracy.tolerance"), number("promotion.mse.tolerance"),
        Boolean.parseBoolean(get("promotion.publish.unevaluated")),
        Boolean.parseBoolean(get("promotion.beat.length.baseline")));
  }

  /** The calibration stage that fine-tunes W on the relabelled pairs (calibrate only). */
  public CalibrationConfig calibration() {
    return new CalibrationConfig(number("calibration.lambda"), integer("calibration.steps"),
        integer("calibration.batch"), number("calibration.lr"), Long.parseLong(get("calibration.seed")));
  }

  /** Reference Elo per policy model, "model=1200,other=1100"; empty when ratings come from preferences. */
  public Map<String, Double> referenceElo() {
    Map<String, Double> m = new HashMap<>();
    for (String part : get("calibration.elo").split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("calibration.elo entries must be model=elo, was '" + part + "'");
      }
      m.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
    }
    return m;
  }
}
