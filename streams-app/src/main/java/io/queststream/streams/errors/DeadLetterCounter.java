package io.queststream.streams.errors;

import java.util.Map;

/**
 * Counts dead letters by kind. The exception handlers Kafka Streams instantiates find the app's counter in their
 * configuration under {@link #CONFIG_KEY}.
 */
public interface DeadLetterCounter {

  /** Streams config key under which the counter is handed to the exception handlers. */
  String CONFIG_KEY = "quest.metrics.instance";

  void deadLetter(DeadLetterKind kind);

  /** The counter in a handler's configuration, or null when none was given. */
  static DeadLetterCounter fromConfig(Map<String, ?> configs) {
    return configs.get(CONFIG_KEY) instanceof DeadLetterCounter c ? c : null;
  }
}
