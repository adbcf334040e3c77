package io.queststream.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Merges an application's configuration from, lowest precedence first: a properties file, its environment
 * variables ({@link Catalogue#keyForEnvironmentVariable}), explicit overrides (the command line). Former key names
 * are read under the current name. Defaults are the typed reader's ({@link SettingValues}).
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  public static Map<String, String> values(Catalogue catalogue, Optional<Path> file, Map<String, String> environment,
      Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    file.ifPresent(f -> readProperties(f).forEach((k, v) -> values.put(catalogue.currentKey(k), v)));
    environment.forEach((name, value) ->
        catalogue.keyForEnvironmentVariable(name).ifPresent(k -> values.put(k, value)));
    overrides.forEach((k, v) -> values.put(catalogue.currentKey(k), v));
    return values;
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
