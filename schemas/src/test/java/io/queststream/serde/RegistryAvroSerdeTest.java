package io.queststream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.Ranking;
import io.queststream.serde.registry.InMemorySchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryAvroSerdeTest {

  private final String scope = "serde-test-" + UUID.randomUUID();
  private final Map<String, Object> props = new HashMap<>(Map.of("schema.registry.url", "mock://" + scope));

  @AfterEach
  void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  static Stream<SpecificRecord> everyRecordType() {
    return SampleRecords.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRecordType")
  void roundTripsEveryRecordTypeThroughTheRegistry(SpecificRecord record) {
    RegistryAvroSerde<SpecificRecord> serde = serdeFor(record);

    byte[] frame = serde.serializer().serialize("topic-a", record);
    SpecificRecord read = serde.deserializer().deserialize("topic-a", frame);

    assertThat(read).isInstanceOf(record.getClass()).isEqualTo(record);
  }

  @Test
  void framesWithMagicByteAndTheIdRegisteredUnderTheTopicValueSubject() {
    RegistryAvroSerde<ChatTurn> serde = configured(new RegistryAvroSerde<>(ChatTurn.class), false);

    byte[] frame = serde.serializer().serialize("chat-turns", SampleRecords.chatTurn());

    InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(scope);
    int id = registry.idOf("chat-turns-value", ChatTurn.getClassSchema());
    assertThat(frame[0]).isZero();
    assertThat(ByteBuffer.wrap(frame, 1, 4).getInt()).isEqualTo(id);
    assertThat(registry.subjects()).containsExactly("chat-turns-value");
  }

  @Test
  void registersKeysUnderTheTopicKeySubject() {
    RegistryAvroSerde<ChatTurn> serde = configured(new RegistryAvroSerde<>(ChatTurn.class), true);

    serde.serializer().serialize("chat-turns", SampleRecords.chatTurn());

    assertThat(InMemorySchemaRegistryClient.forScope(scope).subjects()).containsExactly("chat-turns-key");
  }

  @Test
  void passesTombstonesThroughAsNull() {
    RegistryAvroSerde<ChatTurn> serde = configured(new RegistryAvroSerde<>(ChatTurn.class), false);

    assertThat(serde.serializer().serialize("chat-turns", null)).isNull();
    assertThat(serde.deserializer().deserialize("chat-turns", null)).isNull();
  }

  @Test
  void readsWhatAnotherSerdeOnTheSameMockScopeWrote() {
    RegistryAvroSerde<ChatTurn> writer = configured(new RegistryAvroSerde<>(ChatTurn.class), false);
    RegistryAvroDeserializer<ChatTurn> reader = new RegistryAvroDeserializer<>(ChatTurn.class);
    reader.configure(props, false);

    byte[] frame = writer.serializer().serialize("chat-turns", SampleRecords.chatTurn());

    assertThat(reader.deserialize("chat-turns", frame)).isEqualTo(SampleRecords.chatTurn());
  }

  @Test
  void carriesSeveralRecordTypesOnOneTopicUnderTopicRecordSubjects() {
    props.put("subject.name.strategy", "topic_record");
    RegistryAvroSerde<SpecificRecord> serde =
        configured(RegistryAvroSerde.anyOf(PreferencePair.class, Ranking.class), false);

    byte[] pair = serde.serializer().serialize("turn-preferences", SampleRecords.preferencePair());
    byte[] ranking = serde.serializer().serialize("turn-preferences", SampleRecords.ranking());

    assertThat(serde.deserializer().deserialize("turn-preferences", pair)).isEqualTo(SampleRecords.preferencePair());
    assertThat(serde.deserializer().deserialize("turn-preferences", ranking)).isEqualTo(SampleRecords.ranking());
    assertThat(InMemorySchemaRegistryClient.forScope(scope).subjects()).containsExactly(
        "turn-preferences-io.queststream.schemas.PreferencePair", "turn-preferences-io.queststream.schemas.Ranking");
  }

  @Test
  void rejectsARecordTypeTheMultiTypeSerdeDoesNotRead() {
    props.put("subject.name.strategy", "topic_record");
    RegistryAvroSerde<SpecificRecord> writer = configured(RegistryAvroSerde.anyOf(ChatTurn.class), false);
    RegistryAvroSerde<SpecificRecord> reader =
        configured(RegistryAvroSerde.anyOf(PreferencePair.class, Ranking.class), false);

    byte[] frame = writer.serializer().serialize("turn-preferences", SampleRecords.chatTurn());

    assertThatThrownBy(() -> reader.deserializer().deserialize("turn-preferences", frame))
        .isInstanceOfSatisfying(SerdeException.class,
            e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.INCOMPATIBLE_SCHEMA))
        .hasMessageContaining("io.queststream.schemas.ChatTurn")
        .hasMessageContaining("io.queststream.schemas.PreferencePair");
  }

  @Test
  void refusesToWriteAnUnregisteredSchemaWhenAutoRegistrationIsOff() {
    props.put("auto.register.schemas", "false");
    RegistryAvroSerde<ChatTurn> serde = configured(new RegistryAvroSerde<>(ChatTurn.class), false);

    assertThatThrownBy(() -> serde.serializer().serialize("chat-turns", SampleRecords.chatTurn()))
        .isInstanceOfSatisfying(SerdeException.class,
            e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.REGISTRATION_FAILED))
        .hasMessageContaining("chat-turns-value");

    InMemorySchemaRegistryClient.forScope(scope).register("chat-turns-value", ChatTurn.getClassSchema());
    assertThat(serde.serializer().serialize("chat-turns", SampleRecords.chatTurn())).isNotEmpty();
  }

  @Test
  void reportsARecordThatBreaksItsOwnSchema() {
    RegistryAvroSerde<ChatTurn> serde = configured(new RegistryAvroSerde<>(ChatTurn.class), false);
    ChatTurn missingText = SampleRecords.chatTurn();
    missingText.setText(null);

    assertThatThrownBy(() -> serde.serializer().serialize("chat-turns", missingText))
        .isInstanceOfSatisfying(SerdeException.class,
            e -> assertThat(e.reason()).isEqualTo(SerdeException.Reason.INVALID_RECORD))
        .hasMessageContaining("chat-turns");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"topic_record", "TOPIC-RECORD",
      "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"})
  void acceptsShortAndConfluentNamesForTheSubjectNameStrategy(String name) {
    props.put("subject.name.strategy", name);

    assertThat(new SerdeConfig(props).subjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_RECORD);
  }

  @Test
  void rejectsAnUnknownSubjectNameStrategyWhenConfigured() {
    props.put("subject.name.strategy", "by_phase_of_moon");

    assertThatThrownBy(() -> new RegistryAvroSerde<>(ChatTurn.class).configure(props, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("subject.name.strategy")
        .hasMessageContaining("topic, record, topic_record");
  }

  @Test
  void requiresARegistryUrl() {
    assertThatThrownBy(() -> new RegistryAvroSerde<>(ChatTurn.class).configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void rejectsARegistryUrlWithAnUnknownSchemeWithoutPrintingItsCredentials() {
    props.put("schema.registry.url", "ftp://admin:hunter2@registry:21");

    assertThatThrownBy(() -> new RegistryAvroSerde<>(ChatTurn.class).configure(props, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http://, https:// or mock://")
        .hasMessageNotContaining("hunter2");
  }

  @SuppressWarnings("unchecked")
  private RegistryAvroSerde<SpecificRecord> serdeFor(SpecificRecord record) {
    return configured(new RegistryAvroSerde<>((Class<SpecificRecord>) record.getClass()), false);
  }

  private <T extends SpecificRecord> RegistryAvroSerde<T> configured(RegistryAvroSerde<T> serde, boolean isKey) {
    serde.configure(props, isKey);
    return serde;
  }
}
