package io.queststream.serde;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * Confluent's {@code SpecificAvroSerde} instead of the built-in serde, for deployments that have Confluent's
 * artifacts ({@code io.confluent:kafka-streams-avro-serde}, published on packages.confluent.io, not Maven Central)
 * on the classpath. It is loaded by reflection so that the project builds without it. Both write the same wire
 * format, so records written by one are read by the other.
 *
 * <p>Confluent's serde reads whichever generated class the writer schema names, so one instance also serves a
 * topic with several record types. The project's short {@code subject.name.strategy} values are translated to
 * Confluent's strategy classes.
 */
public final class ConfluentAvroSerdeFactory implements AvroSerdeFactory {

  static final String CONFLUENT_SERDE = "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde";
  private static final String CONFLUENT_STRATEGIES = "io.confluent.kafka.serializers.subject.";

  private final Class<?> serdeClass;

  public ConfluentAvroSerdeFactory() {
    this(CONFLUENT_SERDE);
  }

  ConfluentAvroSerdeFactory(String serdeClassName) {
    try {
      serdeClass = Class.forName(serdeClassName, true, ConfluentAvroSerdeFactory.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(AvroSerdeFactory.CONFIG, ConfluentAvroSerdeFactory.class.getName(),
          "needs " + serdeClassName + " on the classpath; add io.confluent:kafka-streams-avro-serde (from "
              + "https://packages.confluent.io/maven/) or unset " + AvroSerdeFactory.CONFIG
              + " to use the built-in registry serde");
    }
    if (!Serde.class.isAssignableFrom(serdeClass)) {
      throw new ConfigException(AvroSerdeFactory.CONFIG, ConfluentAvroSerdeFactory.class.getName(),
          serdeClassName + " is not a Kafka Serde");
    }
  }

  @Override
  public <T extends SpecificRecord> Serde<T> create(Class<T> type, Map<String, ?> props, boolean isKey) {
    return newSerde(props, isKey);
  }

  @Override
  public Serde<SpecificRecord> createAnyOf(List<Class<? extends SpecificRecord>> types, Map<String, ?> props,
      boolean isKey) {
    return newSerde(props, isKey);
  }

  @SuppressWarnings("unchecked")
  private <T> Serde<T> newSerde(Map<String, ?> props, boolean isKey) {
    Serde<T> serde;
    try {
      serde = (Serde<T>) serdeClass.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + serdeClass.getName(), e);
    }
    serde.configure(confluentProps(props, isKey), isKey);
    return serde;
  }

  static Map<String, Object> confluentProps(Map<String, ?> props, boolean isKey) {
    Map<String, Object> confluent = new HashMap<>(props);
    confluent.remove(AvroSerdeFactory.CONFIG);
    Object strategy = confluent.remove(SerdeConfig.SUBJECT_NAME_STRATEGY);
    if (strategy != null) {
      String confluentKey = (isKey ? "key" : "value") + ".subject.name.strategy";
      confluent.putIfAbsent(confluentKey,
          CONFLUENT_STRATEGIES + SubjectNameStrategy.parse(strategy.toString()).confluentClassSimpleName());
    }
    return confluent;
  }
}
