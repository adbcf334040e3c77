package io.queststream.config;

/** A setting with a value the application cannot use; the message names the key. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
