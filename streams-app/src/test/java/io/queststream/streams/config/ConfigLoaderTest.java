package io.queststream.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("batch.max-size", "many")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("batch.max-size");
    assertThatThrownBy(() -> AppConfig.from(Map.of("moderation.score-min", "low")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("moderation.score-min");
  }

  @Test
  void everySettingHasAnEnvironmentVariable() {
    assertThat(Settings.WEIGHTS_INITIAL_FILE.environmentVariable()).isEqualTo("QUEST_WEIGHTS_INITIAL_FILE");
    assertThat(ConfigLoader.keyForEnvironmentVariable("QUEST_WEIGHTS_INITIAL_FILE")).contains("weights.initial-file");
  }
}
