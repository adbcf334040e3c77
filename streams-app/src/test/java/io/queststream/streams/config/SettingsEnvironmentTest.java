package io.queststream.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.config.ConfigException;
import io.queststream.config.Setting;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.ModelSettings;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Every setting of the app, the model's included, can be set by its environment variable alone. */
class SettingsEnvironmentTest {

  private static final String SLUG = "character-consistency";

  /** A valid value other than the default for every setting; a new setting without one fails the test. */
  private static final Map<String, String> SAMPLES = Map.ofEntries(
      Map.entry("topics.chat-turns", "t-chat"), Map.entry("topics.character-cards", "t-cards"),
      Map.entry("topics.turn-scores", "t-scores"), Map.entry("topics.moderation-events", "t-moderation"),
      Map.entry("topics.turn-embeddings", "t-embeddings"), Map.entry("topics.reward-weights", "t-weights"),
      Map.entry("topics.turn-preferences", "t-preferences"), Map.entry("topics.leaderboards", "t-leaderboards"),
      Map.entry("topics.policy-ratings", "t-ratings"), Map.entry("topics.drift-alerts", "t-drift"),
      Map.entry("topics.turn-selections", "t-selections"), Map.entry("topics.moderation-policies", "t-policies"),
      Map.entry("topics.turn-scores-shadow", "t-shadow"), Map.entry("topics.dead-letters", "t-dlq"), Map.entry("topics.partitions", "6"),
      Map.entry("topics.replication-factor", "3"), Map.entry("topics.create-missing", "false"),
      Map.entry("batch.max-size", "8"), Map.entry("batch.token-budget", "4096"), Map.entry("batch.max-wait-ms", "7"),
      Map.entry("batch.max-in-flight", "16"), Map.entry("batch.commit-on-results", "false"),
      Map.entry("stores.memory-mb", "128"),
      Map.entry("history.max-turns", "12"), Map.entry("history.max-tokens", "1024"),
      Map.entry("history.idle-expiry-ms", "1000"), Map.entry("history.expiry-scan-interval-ms", "500"),
      Map.entry("validation.max-text-chars", "100"), Map.entry("validation.turn-id-retention-ms", "1000"),
      Map.entry("moderation.score-min", "-1"), Map.entry("moderation.attribute." + SLUG + ".min", "3"),
      Map.entry("moderation.unreadable-max-share", "0.25"), Map.entry("embeddings.enabled", "false"),
      Map.entry("analytics.enabled", "false"), Map.entry("analytics.stream-threads", "2"),
      Map.entry("analytics.commit-interval-ms", "250"), Map.entry("analytics.window-size-ms", "60000"),
      Map.entry("analytics.window-grace-ms", "1000"), Map.entry("analytics.confidence-level", "0.9"),
      Map.entry("analytics.preference-join-window-ms", "1000"), Map.entry("analytics.drift.delta", "0.1"),
      Map.entry("analytics.drift.threshold", "10"), Map.entry("analytics.drift.min-observations", "5"),
      Map.entry("analytics.drift.idle-expiry-ms", "1000"), Map.entry("analytics.drift.expiry-scan-interval-ms", "500"),
      Map.entry("analytics.selections.resolve-timeout-ms", "1000"),
      Map.entry("analytics.selections.retention-ms", "2000"), Map.entry("analytics.selections.scan-interval-ms", "500"),
      Map.entry("weights.model-name", "other-rm"), Map.entry("weights.attributes", "Character Consistency,Depth"),
      Map.entry("weights.trusted-keys", "a-key"), Map.entry("weights.trusted-keys-file", "/etc/keys.pem"),
      Map.entry("weights.initial-file", "/etc/heads.avro"), Map.entry("http.host", "0.0.0.0"),
      Map.entry("http.port", "9999"), Map.entry("http.admin-token", "t0ken"),
      Map.entry("recovery.backoff-initial-ms", "2000"),
      Map.entry("recovery.backoff-max-ms", "60000"), Map.entry("health.stall-timeout-ms", "1000"),
      Map.entry("health.model-call-deadline-ms", "60000"), Map.entry("health.model-call-attempts", "5"),
      Map.entry("shutdown.timeout-ms", "1000"),
      Map.entry("model.name", "minilm-q"), Map.entry("model.kind", "torchscript"), Map.entry("model.device", "gpu:1"),
      Map.entry("model.pooling", "last_token"), Map.entry("model.max-sequence-tokens", "256"),
      Map.entry("model.context-budget", "200"), Map.entry("model.backbone-id", "my-backbone"),
      Map.entry("model.cache-dir", "/var/cache/models"), Map.entry("model.batch-size", "16"),
      Map.entry("model.batch-max-wait-ms", "7"), Map.entry("model.batch-workers", "3"),
      Map.entry("model.batch-max-padding", "0.1"), Map.entry("model.render-max-chars", "5000"),
      Map.entry("model.render-max-ms", "300"), Map.entry("model.window-overlap", "32"),
      Map.entry("model.max-windows", "4"), Map.entry("model.intra-op-threads", "3"),
      Map.entry("model.inter-op-threads", "2"), Map.entry("model.spin-wait", "true"));

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void givenEverySetting_whenOnlyItsEnvironmentVariableSetsIt_thenTheTypedConfigurationCarriesTheValue() {
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(Settings.CATALOGUE.settings().stream()
        .map(s -> s.isFamily() ? s.withSlug(SLUG) : s.key()).toList());
    AppConfig defaults = AppConfig.defaults();
    ModelConfig defaultModel = ModelSettings.toModelConfig(Map.of(), registry);
    SoftAssertions softly = new SoftAssertions();
    for (Setting s : Settings.CATALOGUE.settings()) {
      String key = s.isFamily() ? s.withSlug(SLUG) : s.key();
      String variable = Settings.CATALOGUE.environmentVariable(s).replace("<SLUG>", "CHARACTER_CONSISTENCY");
      String value = SAMPLES.get(key);

      Map<String, String> read = ConfigLoader.values(Optional.empty(), Map.of(variable, value), Map.of());
      softly.assertThat(read).as(variable).containsExactly(entry(key, value));
      AppConfig fromEnvironment = AppConfig.from(read);
      AppConfig fromKey = AppConfig.from(Map.of(key, value));
      softly.assertThat(fromEnvironment).as(variable).isEqualTo(fromKey);
      softly.assertThat(fromEnvironment.kafka()).as(variable + " reaches no Kafka key").isEmpty();
      if (key.startsWith(ModelSettings.PREFIX)) {
        softly.assertThat(ModelSettings.toModelConfig(fromEnvironment.model(), registry)).as(variable)
            .isNotEqualTo(defaultModel);
      } else {
        softly.assertThat(fromEnvironment).as(variable).isNotEqualTo(defaults);
      }
    }
    softly.assertAll();
  }

  @Test
  void givenAModelVariableThatNamesNoSetting_thenTheConfigurationIsRefusedNamingIt() {
    Map<String, String> read = ConfigLoader.values(Optional.empty(), Map.of("QUEST_MODEL_BATCH_SIZZE", "8"), Map.of());

    assertThatThrownBy(() -> AppConfig.from(read)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown setting model.batch.sizze ");
  }

  @Test
  void givenAnUnknownNonModelVariable_thenItIsAKafkaKey() {
    AppConfig c = ConfigLoader.load(Optional.empty(), Map.of("QUEST_NUM_STANDBY_REPLICAS", "1"), Map.of());

    assertThat(c.kafka()).containsExactly(entry("num.standby.replicas", "1"));
  }
}
