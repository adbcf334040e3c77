package io.queststream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueTest {

  private static final Setting BATCH = new Setting("batch.max-size", "32", "most turns per batch");
  private static final Setting MODEL = new Setting("weights.model-name", "quest-rm", "model", List.of("model.name"));
  private static final Setting RULE = new Setting("moderation.attribute." + Setting.SLUG + ".min", "", "rule");
  private static final Catalogue APP =
      Catalogue.handingOnAllBut("APP_", List.of(BATCH, MODEL, RULE), List.of("model."));
  private static final Catalogue TOOL = Catalogue.handingOnOnly("TOOL_", List.of(BATCH), List.of("kafka."));

  @Test
  void givenASettingsVariable_thenItSetsThatKey() {
    assertThat(APP.environmentVariable(BATCH)).isEqualTo("APP_BATCH_MAX_SIZE");
    assertThat(APP.keyForEnvironmentVariable("APP_BATCH_MAX_SIZE")).contains("batch.max-size");
    assertThat(APP.keyForEnvironmentVariable("APP_WEIGHTS_MODEL_NAME")).contains("weights.model-name");
  }

  @Test
  void givenAFamilyVariable_thenItsSlugIsKebabCase() {
    assertThat(APP.keyForEnvironmentVariable("APP_MODERATION_ATTRIBUTE_CHARACTER_CONSISTENCY_MIN"))
        .contains("moderation.attribute.character-consistency.min");
    assertThat(RULE.slugOf("moderation.attribute.depth.min")).contains("depth");
    assertThat(RULE.slugOf("moderation.attribute..min")).isEmpty();
  }

  @Test
  void givenAnyOtherVariable_thenItIsAKeyWithDots_andVariablesOfOtherAppsAreIgnored() {
    assertThat(APP.keyForEnvironmentVariable("APP_NUM_STREAM_THREADS")).contains("num.stream.threads");
    assertThat(APP.keyForEnvironmentVariable("PATH")).isEmpty();
    assertThat(APP.keyForEnvironmentVariable("APP_")).isEmpty();
  }

  @Test
  void givenAFormerKeyInTheFileTheEnvironmentOrTheCommandLine_thenItSetsTheCurrentKey(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("app.properties"), "model.name=from-file\n");

    assertThat(ConfigLoader.values(APP, Optional.of(file), Map.of(), Map.of()))
        .isEqualTo(Map.of("weights.model-name", "from-file"));
    assertThat(ConfigLoader.values(APP, Optional.empty(), Map.of("APP_MODEL_NAME", "from-env"), Map.of()))
        .isEqualTo(Map.of("weights.model-name", "from-env"));
    assertThat(ConfigLoader.values(APP, Optional.of(file), Map.of(), Map.of("model.name", "from-cli")))
        .isEqualTo(Map.of("weights.model-name", "from-cli"));
  }

  @Test
  void givenFileEnvironmentAndCommandLine_thenTheCommandLineWinsOverTheEnvironmentOverTheFile(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("app.properties"), "batch.max-size=1\nlinger.ms=5\nacks=all\n");

    Map<String, String> values = ConfigLoader.values(APP, Optional.of(file),
        Map.of("APP_BATCH_MAX_SIZE", "2", "APP_LINGER_MS", "6"), Map.of("batch.max-size", "3"));

    assertThat(values).isEqualTo(Map.of("batch.max-size", "3", "linger.ms", "6", "acks", "all"));
  }

  @Test
  void givenKeysThatAreNeitherSettingsNorHandedOn_thenEachIsRefusedByName() {
    assertThatThrownBy(() -> APP.requireKnown(Map.of("model.batch.size", "8", "model.nme", "x", "acks", "all")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("unknown settings model.batch.size, model.nme (keys under model. must be settings");
    assertThatThrownBy(() -> TOOL.requireKnown(Map.of("batch.max-sise", "8")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown setting batch.max-sise (only keys under");
  }

  @Test
  void givenKnownAndHandedOnKeys_thenNothingIsRefused() {
    APP.requireKnown(Map.of("weights.model-name", "m", "model.name", "m", "acks", "all",
        "moderation.attribute.depth.min", "2"));
    TOOL.requireKnown(Map.of("batch.max-size", "8", "kafka.acks", "all"));

    assertThat(TOOL.isHandedOn("kafka.acks")).isTrue();
    assertThat(TOOL.isHandedOn("batch.max-size")).isFalse();
    assertThat(APP.isHandedOn("acks")).isTrue();
    assertThat(APP.isHandedOn("model.name")).isFalse();
  }
}
