package io.queststream.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a schema's registry subject is named. {@link #TOPIC} allows one record type per topic; {@link #RECORD} and
 * {@link #TOPIC_RECORD} let one topic carry several record types (turn-preferences carries PreferencePair and
 * Ranking).
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} or {@code <topic>-value}. */
  TOPIC("TopicNameStrategy") {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return topic + (isKey ? "-key" : "-value");
    }
  },
  /** The record's full name, shared by every topic that carries it. */
  RECORD("RecordNameStrategy") {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return schema.getFullName();
    }
  },
  /** {@code <topic>-<record full name>}. */
  TOPIC_RECORD("TopicRecordNameStrategy") {
    @Override
    public String subject(String topic, boolean isKey, Schema schema) {
      return topic + "-" + schema.getFullName();
    }
  };

  private final String confluentClassSimpleName;

  SubjectNameStrategy(String confluentClassSimpleName) {
    this.confluentClassSimpleName = confluentClassSimpleName;
  }

  public abstract String subject(String topic, boolean isKey, Schema schema);

  /** The simple name of Confluent's class for the same strategy. */
  String confluentClassSimpleName() {
    return confluentClassSimpleName;
  }

  /**
   * Parses {@code topic}, {@code record} or {@code topic_record}; Confluent's strategy class names
   * ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}, ...) are accepted too so that a configuration
   * written for Confluent's serde works unchanged.
   */
  public static SubjectNameStrategy parse(String name) {
    String simpleName = name.substring(name.lastIndexOf('.') + 1).trim();
    for (SubjectNameStrategy strategy : values()) {
      if (strategy.name().equalsIgnoreCase(simpleName.replace('-', '_'))
          || strategy.confluentClassSimpleName.equals(simpleName)) {
        return strategy;
      }
    }
    throw new ConfigException(SerdeConfig.SUBJECT_NAME_STRATEGY, name,
        "expected one of topic, record, topic_record");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
