package io.queststream.streams.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds the configuration from, lowest precedence first: defaults, a properties file, QUEST_* environment
 * variables, explicit overrides (command line).
 *
 * <p>An environment variable names an application setting when it equals that setting's {@link
 * Setting#environmentVariable()}; per-attribute moderation rules read QUEST_MODERATION_ATTRIBUTE_SLUG_MIN; any other
 * QUEST_ variable is a Kafka key with '_' as '.', e.g. QUEST_BOOTSTRAP_SERVERS is bootstrap.servers.
 */
public final class ConfigLoader {

  static final String ENV_PREFIX = "QUEST_";
  private static final String RULE_ENV_PREFIX = ENV_PREFIX + "MODERATION_ATTRIBUTE_";
  private static final String RULE_ENV_SUFFIX = "_MIN";

  private ConfigLoader() {}

  public static AppConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    return AppConfig.from(values(file, environment, overrides));
  }

  /** The merged key/value pairs before they are typed, for tools that add keys of their own. */
  public static Map<String, String> values(Optional<Path> file, Map<String, String> environment,
      Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    file.ifPresent(f -> values.putAll(readProperties(f)));
    environment.forEach((name, value) -> keyForEnvironmentVariable(name).ifPresent(k -> values.put(k, value)));
    values.putAll(overrides);
    return values;
  }

  static Optional<String> keyForEnvironmentVariable(String name) {
    if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length()) {
      return Optional.empty();
    }
    for (Setting s : Settings.ALL) {
      if (s.environmentVariable().equals(name)) {
        return Optional.of(s.key());
      }
    }
    if (name.startsWith(RULE_ENV_PREFIX) && name.endsWith(RULE_ENV_SUFFIX)
        && name.length() > RULE_ENV_PREFIX.length() + RULE_ENV_SUFFIX.length()) {
      String slug = name.substring(RULE_ENV_PREFIX.length(), name.length() - RULE_ENV_SUFFIX.length());
      return Optional.of("moderation.attribute." + slug.toLowerCase(Locale.ROOT).replace('_', '-') + ".min");
    }
    return Optional.of(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
  }

  private static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration file " + file, e);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    return out;
  }
}
