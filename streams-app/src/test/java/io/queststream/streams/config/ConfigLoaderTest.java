package io.queststream.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.config.ConfigException;
import io.queststream.streams.state.SharedRocksDbMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void defaultsRunOnALaptopWithExactlyOnce() {
    AppConfig c = AppConfig.defaults();

    assertThat(c.streamsProperties()).containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry("errors.dead.letter.queue.topic.name", "scoring-dlq");
    assertThat(c.httpHost()).isEqualTo("127.0.0.1");
    assertThat(c.batching().maxSize()).isEqualTo(32);
    assertThat(c.topics()).isEqualTo(TopicNames.defaults());
  }

  @Test
  void environmentOverridesTheFileAndExplicitOverridesWin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, """
        batch.max-size=8
        topics.chat-turns=turns-from-file
        bootstrap.servers=file:9092
        num.stream.threads=2
        moderation.attribute.character-consistency.min=3.5
        """);
    Map<String, String> env = Map.of(
        "QUEST_BATCH_MAX_SIZE", "16",
        "QUEST_BOOTSTRAP_SERVERS", "env:9092",
        "QUEST_MODERATION_ATTRIBUTE_DESCRIPTIVE_DEPTH_MIN", "2",
        "PATH", "/usr/bin");

    AppConfig c = ConfigLoader.load(Optional.of(file), env, Map.of("batch.max-size", "64"));

    assertThat(c.batching().maxSize()).isEqualTo(64);
    assertThat(c.topics().chatTurns()).isEqualTo("turns-from-file");
    assertThat(c.kafka()).containsEntry("bootstrap.servers", "env:9092").containsEntry("num.stream.threads", "2")
        .doesNotContainKey("batch.max-size").doesNotContainKey("path");
    assertThat(c.moderation().attributeMins())
        .containsEntry("character-consistency", 3.5f).containsEntry("descriptive-depth", 2f);
  }

  @Test
  void kafkaKeysPassThroughUntouchedOverTheDefaults() {
    AppConfig c = AppConfig.from(Map.of("processing.guarantee", "at_least_once", "client.id", "scorer-1"));

    assertThat(c.streamsProperties()).containsEntry("processing.guarantee", "at_least_once")
        .containsEntry("client.id", "scorer-1");
  }

  @Test
  void everyRocksDbStoreSharesOneMemoryBudgetUnlessSwitchedOffOrReplaced() {
    assertThat(AppConfig.defaults().streamsProperties())
        .containsEntry("rocksdb.config.setter", SharedRocksDbMemory.class.getName())
        .containsEntry(SharedRocksDbMemory.MEMORY_BYTES_CONFIG, 64L * 1024 * 1024);
    assertThat(AppConfig.from(Map.of("stores.memory-mb", "256")).streamsProperties())
        .containsEntry(SharedRocksDbMemory.MEMORY_BYTES_CONFIG, 256L * 1024 * 1024);
    assertThat(AppConfig.from(Map.of("stores.memory-mb", "0")).streamsProperties())
        .doesNotContainKeys("rocksdb.config.setter", SharedRocksDbMemory.MEMORY_BYTES_CONFIG);
    assertThat(AppConfig.from(Map.of("rocksdb.config.setter", "com.example.OwnSetter")).streamsProperties())
        .containsEntry("rocksdb.config.setter", "com.example.OwnSetter")
        .doesNotContainKey(SharedRocksDbMemory.MEMORY_BYTES_CONFIG);
    assertThat(AppConfig.defaults().clientProperties()).doesNotContainKey("rocksdb.config.setter");
    assertThatThrownBy(() -> AppConfig.from(Map.of("stores.memory-mb", "-1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("stores.memory-mb");
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("batch.max-size", "many")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("batch.max-size");
    assertThatThrownBy(() -> AppConfig.from(Map.of("moderation.score-min", "low")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("moderation.score-min");
  }

  @Test
  void everySettingHasAnEnvironmentVariable() {
    assertThat(Settings.CATALOGUE.environmentVariable(Settings.WEIGHTS_INITIAL_FILE))
        .isEqualTo("QUEST_WEIGHTS_INITIAL_FILE");
    assertThat(ConfigLoader.keyForEnvironmentVariable("QUEST_WEIGHTS_INITIAL_FILE")).contains("weights.initial-file");
  }

  @Test
  void analyticsSettingsAreReadAndNeverReachKafka() {
    AppConfig c = AppConfig.from(Map.of("analytics.window-size-ms", "60000", "analytics.drift.threshold", "12.5",
        "analytics.confidence-level", "0.9", "topics.drift-alerts", "alerts", "analytics.commit-interval-ms", "250"));

    assertThat(c.analytics().enabled()).isTrue();
    assertThat(c.analytics().streamThreads()).isEqualTo(1);
    assertThat(c.analytics().commitInterval()).hasMillis(250);
    assertThat(c.analytics().windowSize()).hasSeconds(60);
    assertThat(c.analytics().confidenceLevel()).isEqualTo(0.9);
    assertThat(c.analytics().drift().threshold()).isEqualTo(12.5);
    assertThat(c.analytics().drift().delta()).isEqualTo(0.5);
    assertThat(c.topics().driftAlerts()).isEqualTo("alerts");
    assertThat(c.kafka()).isEmpty();
  }

  @Test
  void analyticsSettingsOutOfRangeAreRefusedWithTheirKey() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("analytics.confidence-level", "1.5")))
        .isInstanceOf(ConfigException.class).hasMessage("analytics.confidence-level must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> AppConfig.from(Map.of("analytics.drift.threshold", "0")))
        .isInstanceOf(ConfigException.class).hasMessage("analytics.drift.threshold must be positive, was 0.0");
    assertThatThrownBy(() -> AppConfig.from(Map.of("analytics.drift.delta", "NaN")))
        .isInstanceOf(ConfigException.class).hasMessage("analytics.drift.delta must be a finite number, was 'NaN'");
    assertThatThrownBy(() -> AppConfig.from(Map.of("analytics.drift.min-observations", "1")))
        .isInstanceOf(ConfigException.class).hasMessage("analytics.drift.min-observations must be at least 2, was 1");
    assertThatThrownBy(() -> AppConfig.from(Map.of("analytics.stream-threads", "0")))
        .isInstanceOf(ConfigException.class).hasMessage("analytics.stream-threads must be at least 1, was 0");
  }
}
