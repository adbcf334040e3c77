package io.queststream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.serde.registry.InMemorySchemaRegistryClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeFactoryTest {

  private final String scope = "factory-" + UUID.randomUUID();
  private final Map<String, Object> props = new HashMap<>(Map.of("schema.registry.url", "mock://" + scope));

  @AfterEach
  void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @Test
  void usesTheRegistrySerdeWhenNoFactoryIsConfigured() {
    AvroSerdeFactory factory = AvroSerdeFactory.fromConfig(props);
    Serde<ChatTurn> serde = factory.create(ChatTurn.class, props, false);

    byte[] frame = serde.serializer().serialize("chat-turns", SampleRecords.chatTurn());

    assertThat(factory).isInstanceOf(RegistryAvroSerdeFactory.class);
    assertThat(serde.deserializer().deserialize("chat-turns", frame)).isEqualTo(SampleRecords.chatTurn());
  }

  @Test
  void makesMultiTypeSerdesForTopicsWithSeveralRecordTypes() {
    props.put("subject.name.strategy", "topic_record");
    Serde<SpecificRecord> serde = AvroSerdeFactory.fromConfig(props)
        .createAnyOf(List.of(PreferencePair.class, Ranking.class), props, false);

    byte[] frame = serde.serializer().serialize("turn-preferences", SampleRecords.ranking());

    assertThat(serde.deserializer().deserialize("turn-preferences", frame)).isEqualTo(SampleRecords.ranking());
  }

  @Test
  void usesTheFactoryNamedInTheConfigByClassOrName() {
    props.put(AvroSerdeFactory.CONFIG, FixedSerdeFactory.class.getName());
    assertThat(AvroSerdeFactory.fromConfig(props)).isInstanceOf(FixedSerdeFactory.class);

    props.put(AvroSerdeFactory.CONFIG, FixedSerdeFactory.class);
    assertThat(AvroSerdeFactory.fromConfig(props)).isInstanceOf(FixedSerdeFactory.class);
  }

  @Test
  void explainsThatConfluentsSerdeIsNotOnTheClasspath() {
    props.put(AvroSerdeFactory.CONFIG, ConfluentAvroSerdeFactory.class.getName());

    assertThatThrownBy(() -> AvroSerdeFactory.fromConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde")
        .hasMessageContaining("io.confluent:kafka-streams-avro-serde")
        .hasMessageContaining("unset quest.serde.factory");
  }

  @Test
  void rejectsAnUnknownFactoryClass() {
    props.put(AvroSerdeFactory.CONFIG, "com.example.NoSuchFactory");

    assertThatThrownBy(() -> AvroSerdeFactory.fromConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("com.example.NoSuchFactory")
        .hasMessageContaining("no such class");
  }

  @Test
  void rejectsAClassThatIsNotAFactory() {
    props.put(AvroSerdeFactory.CONFIG, String.class.getName());

    assertThatThrownBy(() -> AvroSerdeFactory.fromConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not implement " + AvroSerdeFactory.class.getName());
  }

  @Test
  void confluentFactoryConfiguresConfluentsSerdeWithItsOwnStrategyNames() {
    props.put(AvroSerdeFactory.CONFIG, ConfluentAvroSerdeFactory.class.getName());
    props.put("subject.name.strategy", "topic_record");
    ConfluentAvroSerdeFactory factory = new ConfluentAvroSerdeFactory(RecordingSerde.class.getName());

    Serde<ChatTurn> serde = factory.create(ChatTurn.class, props, true);
    RecordingSerde recording = (RecordingSerde) (Serde<?>) serde;

    assertThat(recording.isKey).isTrue();
    assertThat(recording.props)
        .containsEntry("schema.registry.url", "mock://" + scope)
        .containsEntry("key.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy")
        .doesNotContainKeys(AvroSerdeFactory.CONFIG, "subject.name.strategy");
  }

  @Test
  void confluentFactoryRejectsAClassThatIsNotASerde() {
    assertThatThrownBy(() -> new ConfluentAvroSerdeFactory(String.class.getName()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a Kafka Serde");
  }

  /** A factory a deployment could name in the config. */
  public static final class FixedSerdeFactory implements AvroSerdeFactory {

    @Override
    public <T extends SpecificRecord> Serde<T> create(Class<T> type, Map<String, ?> props, boolean isKey) {
      throw new UnsupportedOperationException("only selected, never used");
    }

    @Override
    public Serde<SpecificRecord> createAnyOf(List<Class<? extends SpecificRecord>> types, Map<String, ?> props,
        boolean isKey) {
      throw new UnsupportedOperationException("only selected, never used");
    }
  }

  /** Stands in for Confluent's serde class, recording how the factory configured it. */
  public static final class RecordingSerde extends Serdes.WrapperSerde<Object> {

    Map<String, Object> props;
    boolean isKey;

    public RecordingSerde() {
      super(null, null);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
      this.props = new HashMap<>(configs);
      this.isKey = isKey;
    }
  }
}
