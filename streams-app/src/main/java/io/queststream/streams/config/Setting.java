package io.queststream.streams.config;

import java.util.Locale;

/**
 * One application setting: its properties key, default and meaning. Every key that is not an application setting is
 * handed to Kafka (Streams, clients and serdes) untouched.
 */
public record Setting(String key, String defaultValue, String description) {

  /** The environment variable that overrides this setting: QUEST_ + key upper-cased, '.' and '-' as '_'. */
  public String environmentVariable() {
    return ConfigLoader.ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
