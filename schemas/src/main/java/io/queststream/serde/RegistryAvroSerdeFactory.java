package io.queststream.serde;

import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** The default factory: {@link RegistryAvroSerde}s. */
public final class RegistryAvroSerdeFactory implements AvroSerdeFactory {

  @Override
  public <T extends SpecificRecord> Serde<T> create(Class<T> type, Map<String, ?> props, boolean isKey) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type);
    serde.configure(props, isKey);
    return serde;
  }

  @Override
  public Serde<SpecificRecord> createAnyOf(List<Class<? extends SpecificRecord>> types, Map<String, ?> props,
      boolean isKey) {
    RegistryAvroSerde<SpecificRecord> serde = RegistryAvroSerde.anyOf(types);
    serde.configure(props, isKey);
    return serde;
  }
}
