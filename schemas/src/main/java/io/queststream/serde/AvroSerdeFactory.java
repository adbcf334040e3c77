package io.queststream.serde;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the Avro serdes of the applications, so that the registry serde can be swapped by configuration
 * ({@value #CONFIG}) for another implementation of the same wire format, such as Confluent's.
 */
public interface AvroSerdeFactory {

  /** Class name of the factory to use; {@link RegistryAvroSerdeFactory} when unset. */
  String CONFIG = "quest.serde.factory";

  /** A configured serde for one generated record type. */
  <T extends SpecificRecord> Serde<T> create(Class<T> type, Map<String, ?> props, boolean isKey);

  /**
   * A configured serde for a topic that carries several record types, reading each into its generated class by the
   * writer schema's name.
   */
  Serde<SpecificRecord> createAnyOf(List<Class<? extends SpecificRecord>> types, Map<String, ?> props,
      boolean isKey);

  /**
   * The factory named by {@value #CONFIG} in the properties (a class name or a Class with a public no-arg
   * constructor), or the built-in one.
   */
  static AvroSerdeFactory fromConfig(Map<String, ?> props) {
    Object configured = props.get(CONFIG);
    if (configured == null || configured.toString().isBlank()) {
      return new RegistryAvroSerdeFactory();
    }
    String name = configured instanceof Class<?> c ? c.getName() : configured.toString().trim();
    Class<?> factoryClass;
    try {
      factoryClass = Class.forName(name, true, AvroSerdeFactory.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(CONFIG, name, "no such class on the classpath");
    }
    if (!AvroSerdeFactory.class.isAssignableFrom(factoryClass)) {
      throw new ConfigException(CONFIG, name, "does not implement " + AvroSerdeFactory.class.getName());
    }
    try {
      return (AvroSerdeFactory) factoryClass.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof ConfigException configException) {
        throw configException;
      }
      throw new ConfigException(CONFIG, name, "constructor failed: " + e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(CONFIG, name, "needs a public no-arg constructor (" + e + ")");
    }
  }
}
