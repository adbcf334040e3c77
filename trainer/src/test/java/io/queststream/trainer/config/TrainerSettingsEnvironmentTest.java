package io.queststream.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.config.ConfigException;
import io.queststream.config.Setting;
import io.queststream.trainer.calibration.CalibrationConfig;
import io.queststream.trainer.gating.GatingConfig;
import io.queststream.trainer.promotion.PromotionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every trainer setting can be set by its environment variable alone, and reaches what the trainer reads. */
class TrainerSettingsEnvironmentTest {

  /** A valid value other than the default for every setting; a new setting without one fails the test. */
  private static final Map<String, String> SAMPLES = Map.ofEntries(
      Map.entry("kafka.bootstrap.servers", "kafka-1:9092"), Map.entry("serde.schema.registry.url", "http://r:8081"),
      Map.entry("serde.schema.registry.retry.max.block.ms", "500"), Map.entry("topic.embeddings", "t-embeddings"),
      Map.entry("topic.ratings", "t-ratings"), Map.entry("topic.preferences", "t-preferences"),
      Map.entry("topic.weights", "t-weights"), Map.entry("topic.dlq", "t-dlq"),
      Map.entry("topic.shadow", "t-shadow"),
      Map.entry("weights.model-name", "other-rm"), Map.entry("weights.attributes", "A,B"),
      Map.entry("signing.key.file", "/etc/signing.key"), Map.entry("signing.key", "inline-key"),
      Map.entry("id", "trainer-7"), Map.entry("backbone.id", "my-backbone"), Map.entry("backbone.dim", "16"),
      Map.entry("backbone.pooling", "last_token"), Map.entry("backbone.call-deadline", "PT30S"),
      Map.entry("scale.min", "0"), Map.entry("scale.max", "5"),
      Map.entry("data.dir", "/var/lib/trainer"), Map.entry("http.host", "0.0.0.0"), Map.entry("http.port", "9999"),
      Map.entry("feedback.grace", "PT1M"), Map.entry("recovery.backoff.initial", "PT2S"),
      Map.entry("recovery.backoff.max", "PT1M"), Map.entry("heldout.fraction", "0.2"), Map.entry("split.seed", "7"),
      Map.entry("retrain.every.records", "50"), Map.entry("retrain.every", "PT5M"), Map.entry("ridge.alphas", "1,10"),
      Map.entry("gating.hidden", "32"), Map.entry("gating.layers", "2"), Map.entry("gating.dropout", "0.1"),
      Map.entry("gating.temperature", "5"), Map.entry("gating.steps", "10"), Map.entry("gating.batch", "8"),
      Map.entry("gating.lr", "0.01"), Map.entry("gating.weight.decay", "0.1"), Map.entry("gating.seed", "3"),
      Map.entry("verbosity.signal", "none"), Map.entry("promotion.accuracy.tolerance", "0.01"),
      Map.entry("promotion.mse.tolerance", "0.01"), Map.entry("promotion.publish.unevaluated", "true"),
      Map.entry("promotion.beat.length.baseline", "true"),
      Map.entry("promotion.mode", "shadow"), Map.entry("shadow.min-turns", "50"),
      Map.entry("shadow.min-rank-correlation", "0.7"), Map.entry("shadow.max-flip-rate", "0.1"),
      Map.entry("shadow.max-mean-shift", "0.25"), Map.entry("shadow.check.every", "PT1M"), Map.entry("calibration.elo", "a=1200,b=1100"),
      Map.entry("calibration.lambda", "1"), Map.entry("calibration.steps", "10"), Map.entry("calibration.batch", "8"),
      Map.entry("calibration.lr", "0.01"), Map.entry("calibration.seed", "5"));

  /** What the trainer reads through its typed accessors; signing.key(.file) is read where the signer is made. */
  private static final List<Function<TrainerConfig, Object>> READS = List.of(TrainerConfig::kafka,
      TrainerConfig::serde, c -> List.of(c.topic("embeddings"), c.topic("ratings"), c.topic("preferences"),
          c.topic("weights"), c.topic("dlq"), c.topic("shadow")),
      TrainerConfig::modelName, TrainerConfig::attributes, TrainerConfig::trainerId, TrainerConfig::backboneId,
      TrainerConfig::dim, TrainerConfig::pooling, TrainerConfig::backboneCallDeadline, TrainerConfig::scaleMin,
      TrainerConfig::scaleMax,
      TrainerConfig::dataDir, TrainerConfig::httpHost, TrainerConfig::httpPort, TrainerConfig::feedbackGrace,
      TrainerConfig::recoveryBackoffInitial, TrainerConfig::recoveryBackoffMax, TrainerConfig::heldOutFraction,
      TrainerConfig::splitSeed, TrainerConfig::retrainEveryRecords, TrainerConfig::retrainEvery,
      c -> c.training().attributes(), c -> Arrays.stream(c.training().alphas()).boxed().toList(),
      c -> c.training().gating(), c -> c.training().verbosity(), c -> c.promotion(), TrainerConfig::promotionMode,
      TrainerConfig::shadowCriteria, TrainerConfig::shadowCheckEvery, c -> c.calibration(), TrainerConfig::referenceElo,
      c -> c.get(TrainerSettings.SIGNING_KEY), c -> c.get(TrainerSettings.SIGNING_KEY_FILE));

  @Test
  void givenEverySetting_whenOnlyItsEnvironmentVariableSetsIt_thenWhatTheTrainerReadsChanges() {
    assertThat(SAMPLES.keySet())
        .containsExactlyInAnyOrderElementsOf(TrainerSettings.ALL.stream().map(Setting::key).toList());
    TrainerConfig defaults = TrainerConfig.load(null, Map.of());
    SoftAssertions softly = new SoftAssertions();
    for (Setting s : TrainerSettings.ALL) {
      String variable = TrainerSettings.CATALOGUE.environmentVariable(s);
      TrainerConfig c = TrainerConfig.load(null, Map.of(variable, SAMPLES.get(s.key())));

      softly.assertThat(c.values()).as(variable).containsExactly(Map.entry(s.key(), SAMPLES.get(s.key())));
      softly.assertThat(reads(c)).as(variable + " changes what the trainer reads").isNotEqualTo(reads(defaults));
    }
    softly.assertAll();
  }

  @Test
  void givenTheFormerKeyNames_whenSetByFileOrEnvironment_thenTheyStillSetTheRenamedSettings(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("trainer.properties"), "model.name=from-file\n");

    TrainerConfig c = TrainerConfig.load(file, Map.of("QUEST_TRAINER_ATTRIBUTES", "A,B"));

    assertThat(c.modelName()).isEqualTo("from-file");
    assertThat(c.attributes()).containsExactly("A", "B");
    assertThat(c.with("model.name", "by-code").modelName()).isEqualTo("by-code");
  }

  @Test
  void givenAMisspeltKey_thenTheConfigurationIsRefusedNamingIt() {
    assertThatThrownBy(() -> TrainerConfig.load(null, Map.of("QUEST_TRAINER_RETRAIN_EVERY_RECORD", "5")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown setting retrain.every.record ");
  }

  @Test
  void givenKafkaAndSerdeKeys_thenTheyReachTheClientsWithoutTheirPrefix() {
    TrainerConfig c = TrainerConfig.load(null, Map.of("QUEST_TRAINER_KAFKA_SECURITY_PROTOCOL", "SSL",
        "QUEST_TRAINER_SERDE_SUBJECT_NAME_STRATEGY", "topic_record"));

    assertThat(c.kafka()).containsEntry("security.protocol", "SSL").containsEntry("bootstrap.servers", "localhost:9092");
    assertThat(c.serde()).containsEntry("subject.name.strategy", "topic_record");
  }

  @Test
  void givenTheDefaults_thenTheTypedValuesAreTheDocumentedOnes() {
    TrainerConfig c = TrainerConfig.load(null, Map.of());

    assertThat(c.feedbackGrace()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.gating()).isEqualTo(new GatingConfig(1024, 3, 0.2, 10f, 1f, 300, 64, 1e-3, 0.01, 17));
    assertThat(c.promotion()).isEqualTo(PromotionPolicy.defaults());
    assertThat(c.calibration()).isEqualTo(CalibrationConfig.defaults());
  }

  private static List<Object> reads(TrainerConfig c) {
    return READS.stream().map(r -> r.apply(c)).toList();
  }
}
