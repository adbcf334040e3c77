package io.queststream.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting one application reads, the prefix of its environment variables, and which other keys it hands on
 * untouched (to Kafka, to the serdes). A key that is neither a setting nor handed on is refused, so a misspelt
 * setting fails at start-up instead of being ignored.
 */
public final class Catalogue {

  private final String environmentPrefix;
  private final List<Setting> settings;
  private final List<String> prefixes;
  private final boolean handsOnOnlyUnderPrefixes;

  private Catalogue(String environmentPrefix, List<Setting> settings, List<String> prefixes,
      boolean handsOnOnlyUnderPrefixes) {
    this.environmentPrefix = environmentPrefix;
    this.settings = List.copyOf(settings);
    this.prefixes = List.copyOf(prefixes);
    this.handsOnOnlyUnderPrefixes = handsOnOnlyUnderPrefixes;
  }

  /** Every key that is not a setting is handed on, except keys under the reserved prefixes. */
  public static Catalogue handingOnAllBut(String environmentPrefix, List<Setting> settings,
      List<String> reservedPrefixes) {
    return new Catalogue(environmentPrefix, settings, reservedPrefixes, false);
  }

  /** Only keys under the given prefixes are handed on; every other key must be a setting. */
  public static Catalogue handingOnOnly(String environmentPrefix, List<Setting> settings, List<String> prefixes) {
    return new Catalogue(environmentPrefix, settings, prefixes, true);
  }

  public String environmentPrefix() {
    return environmentPrefix;
  }

  public List<Setting> settings() {
    return settings;
  }

  /** The reserved prefixes, or with {@link #handsOnOnlyUnderPrefixes()} the prefixes of the keys handed on. */
  public List<String> prefixes() {
    return prefixes;
  }

  public boolean handsOnOnlyUnderPrefixes() {
    return handsOnOnlyUnderPrefixes;
  }

  public String environmentVariable(Setting setting) {
    return setting.environmentVariable(environmentPrefix);
  }

  /** The setting a key belongs to (itself, a former name of it, or a member of its family). */
  public Optional<Setting> settingOf(String key) {
    for (Setting s : settings) {
      if (s.key().equals(key) || s.formerKeys().contains(key) || s.slugOf(key).isPresent()) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The key under its current name: a former name becomes the setting's key; any other key is unchanged. */
  public String currentKey(String key) {
    return settings.stream().filter(s -> s.formerKeys().contains(key)).findFirst().map(Setting::key).orElse(key);
  }

  /** True for keys that go to Kafka, the clients or the serdes rather than to the application. */
  public boolean isHandedOn(String key) {
    return settingOf(key).isEmpty() && handedOn(key);
  }

  private boolean handedOn(String key) {
    return handsOnOnlyUnderPrefixes == prefixes.stream().anyMatch(key::startsWith);
  }

  /** Refuses keys that are neither settings nor handed on, naming each. */
  public void requireKnown(Map<String, String> values) {
    List<String> unknown = new ArrayList<>();
    values.keySet().stream().sorted().forEach(k -> {
      if (settingOf(k).isEmpty() && !handedOn(k)) {
        unknown.add(k);
      }
    });
    if (!unknown.isEmpty()) {
      throw new ConfigException("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " (" + (handsOnOnlyUnderPrefixes ? "only keys under " : "keys under ") + String.join(", ", prefixes)
          + (handsOnOnlyUnderPrefixes ? " are handed on" : " must be settings") + "; the settings command lists them)");
    }
  }

  /**
   * The key an environment variable sets: the setting (or former name) whose variable it is, a member of a family
   * (its slug lower-cased, '_' as '-'), else the rest of the name lower-cased with '_' as '.' (QUEST_BOOTSTRAP_SERVERS
   * is bootstrap.servers). Empty for variables without the prefix.
   */
  public Optional<String> keyForEnvironmentVariable(String name) {
    if (!name.startsWith(environmentPrefix) || name.length() == environmentPrefix.length()) {
      return Optional.empty();
    }
    for (Setting s : settings) {
      if (s.isFamily()) {
        Optional<String> slug = familySlug(s, name);
        if (slug.isPresent()) {
          return Optional.of(s.withSlug(slug.get().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
      } else if (s.environmentVariable(environmentPrefix).equals(name)) {
        return Optional.of(s.key());
      } else if (s.formerKeys().stream().anyMatch(f -> Setting.variableOf(environmentPrefix, f).equals(name))) {
        return Optional.of(s.key());
      }
    }
    return Optional.of(name.substring(environmentPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
  }

  private Optional<String> familySlug(Setting family, String variable) {
    String pattern = family.environmentVariable(environmentPrefix);
    String marker = Setting.variableOf("", Setting.SLUG);
    int at = pattern.indexOf(marker);
    String before = pattern.substring(0, at);
    String after = pattern.substring(at + marker.length());
    if (variable.startsWith(before) && variable.endsWith(after)
        && variable.length() > before.length() + after.length()) {
      return Optional.of(variable.substring(before.length(), variable.length() - after.length()));
    }
    return Optional.empty();
  }
}
