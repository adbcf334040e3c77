package io.queststream.serde;

import static io.queststream.serde.SerdeException.Reason.BAD_MAGIC_BYTE;
import static io.queststream.serde.SerdeException.Reason.CORRUPT_PAYLOAD;
import static io.queststream.serde.SerdeException.Reason.INCOMPATIBLE_SCHEMA;
import static io.queststream.serde.SerdeException.Reason.REGISTRY_UNAVAILABLE;
import static io.queststream.serde.SerdeException.Reason.TRUNCATED_FRAME;
import static io.queststream.serde.SerdeException.Reason.UNKNOWN_SCHEMA_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.serde.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a frame can be bad ends in a {@link SerdeException} with its reason: never a hang, never a null. Only a
 * registry that cannot be used is retriable; a bad frame never is.
 */
class RegistryAvroDeserializerBadInputTest {

  private static final String TOPIC = "chat-turns";

  private final String scope = "bad-input-" + UUID.randomUUID();
  private final InMemorySchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope(scope);
  private final RegistryAvroDeserializer<ChatTurn> deserializer = configured(new RegistryAvroDeserializer<>(
      ChatTurn.class), Map.of("schema.registry.url", "mock://" + scope));

  @AfterEach
  void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void reportsAFrameShorterThanTheHeaderAsTruncated(int length) {
    byte[] frame = Arrays.copyOf(validFrame(), length);

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), TRUNCATED_FRAME)
        .hasMessageContaining("topic '" + TOPIC + "'")
        .hasMessageContaining("frame has " + length + " bytes");
  }

  @ParameterizedTest(name = "first byte {0}")
  @ValueSource(bytes = {1, '{', (byte) 0xff})
  void reportsAFrameThatDoesNotStartWithTheMagicByte(byte first) {
    byte[] frame = validFrame();
    frame[0] = first;

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), BAD_MAGIC_BYTE)
        .hasMessageContaining(String.format("0x%02x", first & 0xff));
  }

  @Test
  void reportsASchemaIdTheRegistryDoesNotKnow() {
    byte[] frame = withSchemaId(validFrame(), 9_999);

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), UNKNOWN_SCHEMA_ID)
        .hasMessageContaining("schema id 9999");
    SerdeException e = catchThrowableOfType(SerdeException.class, () -> deserializer.deserialize(TOPIC, frame));
    assertThat(e.schemaId()).isEqualTo(9_999);
    assertThat(e.topic()).isEqualTo(TOPIC);
  }

  @Test
  void failsFastWhenTheRegistryIsDown() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RegistryAvroDeserializer<ChatTurn> offline = configured(new RegistryAvroDeserializer<>(ChatTurn.class),
        Map.of("schema.registry.url", "http://localhost:" + closedPort));

    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertFailure(() -> offline.deserialize(TOPIC, validFrame()), REGISTRY_UNAVAILABLE)
            .hasMessageContaining("localhost:" + closedPort)
            .hasMessageContaining("unreachable"));
  }

  @Test
  void givesUpOnARegistryThatAcceptsButNeverAnswers() throws IOException {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread acceptor = new Thread(() -> {
        try {
          accepted.add(silent.accept());
        } catch (IOException closed) {
          // The test is over.
        }
      });
      acceptor.start();
      RegistryAvroDeserializer<ChatTurn> stuck = configured(new RegistryAvroDeserializer<>(ChatTurn.class), Map.of(
          "schema.registry.url", "http://localhost:" + silent.getLocalPort(), "http.read.timeout.ms", "300"));

      assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
          assertFailure(() -> stuck.deserialize(TOPIC, validFrame()), REGISTRY_UNAVAILABLE)
              .hasMessageContaining("did not answer in time"));
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void reportsAWriterSchemaTheReaderCannotResolve() {
    Schema writer = SchemaBuilder.record("ChatTurn").namespace("io.queststream.schemas").fields()
        .requiredString("conversation_id").requiredString("role").requiredString("text")
        .requiredLong("created_at")
        .endRecord();
    GenericRecord withoutTurnId = new GenericData.Record(writer);
    withoutTurnId.put("conversation_id", "c-1");
    withoutTurnId.put("role", "user");
    withoutTurnId.put("text", "hello");
    withoutTurnId.put("created_at", 0L);
    byte[] frame = frame(registry.register("legacy-turns-value", writer), writer, withoutTurnId);

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), INCOMPATIBLE_SCHEMA)
        .hasMessageContaining("turn_id")
        .hasMessageContaining(ChatTurn.class.getName());
  }

  @Test
  void reportsARecordOfAnotherTypeAsIncompatible() {
    Schema writer = RewardHeads.getClassSchema();
    int id = registry.register("reward-weights-value", writer);
    byte[] frame = withSchemaId(validFrame(), id);

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), INCOMPATIBLE_SCHEMA)
        .hasMessageContaining("io.queststream.schemas.RewardHeads");
  }

  @Test
  void readsAnOlderWriterThatLacksAFieldWithADefault() {
    Schema writer = SchemaBuilder.record("ChatTurn").namespace("io.queststream.schemas").fields()
        .requiredString("turn_id").requiredString("conversation_id").requiredString("role")
        .requiredString("text").requiredLong("created_at")
        .endRecord();
    GenericRecord old = new GenericData.Record(writer);
    old.put("turn_id", "t-1");
    old.put("conversation_id", "c-1");
    old.put("role", "user");
    old.put("text", "hello");
    old.put("created_at", SampleRecords.AT.toEpochMilli());

    ChatTurn read = deserializer.deserialize(TOPIC, frame(registry.register("old-turns-value", writer), writer, old));

    assertThat(read.getTurnId()).isEqualTo("t-1");
    assertThat(read.getCreatedAt()).isEqualTo(SampleRecords.AT);
    assertThat(read.getCharacterId()).isNull();
    assertThat(read.getMetadata()).isEmpty();
  }

  @Test
  void reportsBytesLeftOverAfterTheRecord() {
    byte[] valid = validFrame();
    byte[] frame = Arrays.copyOf(valid, valid.length + 3);

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), CORRUPT_PAYLOAD)
        .hasMessageContaining("3 of the")
        .hasMessageContaining("left over");
  }

  @Test
  void reportsAPayloadCutShort() {
    byte[] valid = validFrame();
    byte[] frame = Arrays.copyOf(valid, valid.length - 10);

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), CORRUPT_PAYLOAD)
        .hasMessageContaining("do not decode");
  }

  @Test
  void refusesALengthPrefixLargerThanThePayloadWithoutAllocatingIt() {
    byte[] header = Arrays.copyOf(validFrame(), WireFormat.HEADER_LENGTH);
    // zig-zag varint of 1_500_000_000: the turn_id string would claim 1.5 GB
    byte[] hugeLength = {(byte) 0x80, (byte) 0xbc, (byte) 0xc1, (byte) 0x96, 0x0b};
    byte[] frame = concat(header, hugeLength);

    assertFailure(() -> deserializer.deserialize(TOPIC, frame), CORRUPT_PAYLOAD)
        .hasMessageContaining("string length 1500000000 does not fit the 0 bytes left");
  }

  @Test
  void reportsRandomGarbageAfterAValidHeaderAsCorruptOrReadsARecordNeverNull() {
    byte[] header = Arrays.copyOf(validFrame(), WireFormat.HEADER_LENGTH);
    Random random = new Random(42);
    int corrupt = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      try {
        assertThat(deserializer.deserialize(TOPIC, concat(header, garbage))).isNotNull();
      } catch (SerdeException e) {
        assertThat(e.reason()).isEqualTo(CORRUPT_PAYLOAD);
        corrupt++;
      } catch (RuntimeException e) {
        fail("garbage payload #" + i + " escaped as " + e, e);
      }
    }
    assertThat(corrupt).isGreaterThan(19_000);
  }

  @Test
  void reportsRandomGarbageWithoutAHeaderAsABadFrame() {
    byte[] garbage = "{\"turn_id\": \"t-1\"}".getBytes(StandardCharsets.UTF_8);

    assertFailure(() -> deserializer.deserialize(TOPIC, garbage), BAD_MAGIC_BYTE);
  }

  private byte[] validFrame() {
    RegistryAvroSerializer<ChatTurn> serializer = new RegistryAvroSerializer<>(registry);
    serializer.configure(Map.of("schema.registry.url", "mock://" + scope), false);
    return serializer.serialize(TOPIC, SampleRecords.chatTurn());
  }

  private static byte[] withSchemaId(byte[] frame, int id) {
    byte[] copy = frame.clone();
    ByteBuffer.wrap(copy, 1, 4).putInt(id);
    return copy;
  }

  private static byte[] frame(int id, Schema schema, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WireFormat.writeHeader(out, id);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertFailure(ThrowingCallable call,
      SerdeException.Reason reason) {
    boolean registryAtFault = reason == REGISTRY_UNAVAILABLE;
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(SerdeException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.retriable()).as("retriable (the record is not at fault)").isEqualTo(registryAtFault);
        });
  }

  private static RegistryAvroDeserializer<ChatTurn> configured(RegistryAvroDeserializer<ChatTurn> d,
      Map<String, ?> props) {
    d.configure(props, false);
    return d;
  }
}
