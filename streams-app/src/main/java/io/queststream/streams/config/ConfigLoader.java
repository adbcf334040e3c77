package io.queststream.streams.config;

import io.queststream.config.ConfigOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the app's configuration from, lowest precedence first: defaults, a properties file, QUEST_* environment
 * variables, explicit overrides (command line).
 *
 * <p>An environment variable names a setting when it equals that setting's variable (QUEST_ + the key upper-cased,
 * '.' and '-' as '_': QUEST_BATCH_MAX_SIZE, QUEST_MODEL_BATCH_SIZE); per-attribute moderation rules read
 * QUEST_MODERATION_ATTRIBUTE_SLUG_MIN; any other QUEST_ variable is a Kafka key with '_' as '.', e.g.
 * QUEST_BOOTSTRAP_SERVERS is bootstrap.servers.
 */
public final class ConfigLoader {

  static final String ENV_PREFIX = "QUEST_";

  private ConfigLoader() {}

  public static AppConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    return AppConfig.from(values(file, environment, overrides));
  }

  /** The merged key/value pairs before they are typed, for tools that add keys of their own. */
  public static Map<String, String> values(Optional<Path> file, Map<String, String> environment,
      Map<String, String> overrides) {
    return io.queststream.config.ConfigLoader.values(Settings.CATALOGUE, file, environment, overrides);
  }

  /** The merged key/value pairs of a command line's options and this process's environment. */
  public static Map<String, String> values(ConfigOptions commandLine) {
    return commandLine.values(Settings.CATALOGUE, "bootstrap.servers", "schema.registry.url", System.getenv());
  }

  static Optional<String> keyForEnvironmentVariable(String name) {
    return Settings.CATALOGUE.keyForEnvironmentVariable(name);
  }
}
