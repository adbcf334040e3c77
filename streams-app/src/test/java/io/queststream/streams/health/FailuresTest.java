package io.queststream.streams.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.batching.RejectedException;
import io.queststream.schemas.ChatTurn;
import io.queststream.serde.RegistryAvroDeserializer;
import io.queststream.serde.SerdeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Which failures make a record wait (a dependency is at fault) and which dead-letter it (the record is). */
class FailuresTest {

  /** A frame with a valid header whose schema id the deserializer has to fetch. */
  private static final byte[] FRAME = {0, 0, 0, 0, 5, 2, 'x'};

  @Test
  void anUnreachableRegistryUnderAStreamsExceptionIsTheRegistrysFault() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    SerdeException unreachable = deserializeWith("http://127.0.0.1:" + closed);

    assertThat(Failures.transientCause(new StreamsException("deserialization failed", unreachable)))
        .hasValueSatisfying(f -> {
          assertThat(f.dependency()).isEqualTo(Dependency.SCHEMA_REGISTRY);
          assertThat(f.cause()).isEqualTo("unavailable");
          assertThat(f.description()).contains("unreachable");
        });
  }

  @Test
  void refusedCredentialsAreTheRegistrysFaultNotTheRecords() throws IOException {
    HttpServer forbidding = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    forbidding.createContext("/", ex -> {
      byte[] body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(401, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    forbidding.start();
    try {
      SerdeException refused = deserializeWith("http://127.0.0.1:" + forbidding.getAddress().getPort());

      assertThat(refused.reason()).isEqualTo(SerdeException.Reason.REGISTRY_NOT_AUTHORISED);
      assertThat(Failures.transientCause(refused)).hasValueSatisfying(f -> {
        assertThat(f.dependency()).isEqualTo(Dependency.SCHEMA_REGISTRY);
        assertThat(f.cause()).isEqualTo("not-authorised");
      });
    } finally {
      forbidding.stop(0);
    }
  }

  @Test
  void aFrameThatIsBadInItselfIsTheRecordsFault() {
    SerdeException badMagic = catchThrowableOfType(SerdeException.class, () ->
        deserializer("mock://failures-test").deserialize("chat-turns",
            "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8)));
    SerdeException unknownId = catchThrowableOfType(SerdeException.class, () ->
        deserializer("mock://failures-test").deserialize("chat-turns", FRAME));

    assertThat(badMagic.reason()).isEqualTo(SerdeException.Reason.BAD_MAGIC_BYTE);
    assertThat(unknownId.reason()).isEqualTo(SerdeException.Reason.UNKNOWN_SCHEMA_ID);
    assertThat(Failures.transientCause(new StreamsException(badMagic))).isEmpty();
    assertThat(Failures.transientCause(new StreamsException(unknownId))).isEmpty();
  }

  @Test
  void aFullDiskUnderAStoreWriteIsTheStateDirectorysFault() {
    RocksDBException noSpace = new RocksDBException("While appending to file: 000012.sst",
        new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device"));
    ProcessorStateException putFailed = new ProcessorStateException("Error while putting key/value", noSpace);

    assertThat(Failures.transientCause(new StreamsException(putFailed))).hasValueSatisfying(f -> {
      assertThat(f.dependency()).isEqualTo(Dependency.STATE_DIRECTORY);
      assertThat(f.cause()).isEqualTo("disk-full");
    });
    assertThat(Failures.transientCause(new ProcessorStateException("checkpoint",
        new FileSystemException("/state/0_1/.checkpoint.tmp: No space left on device"))))
        .hasValueSatisfying(f -> assertThat(f.dependency()).isEqualTo(Dependency.STATE_DIRECTORY));
  }

  @Test
  void brokerTimeoutsAndMissingReplicasAreKafkasFault() {
    assertThat(Failures.transientCause(new StreamsException(new TimeoutException("no leader in 60000 ms"))))
        .hasValueSatisfying(f -> assertThat(f.dependency()).isEqualTo(Dependency.KAFKA));
    assertThat(Failures.transientCause(new NotEnoughReplicasException("1 in sync, 2 required")))
        .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo("broker"));
  }

  @Test
  void aTransactionLostInACoordinatorFailoverIsKafkasFault() {
    StreamsException commitFailed = new StreamsException("Error encountered trying to commit a transaction",
        new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));

    assertThat(Failures.transientCause(commitFailed)).hasValueSatisfying(f -> {
      assertThat(f.dependency()).isEqualTo(Dependency.KAFKA);
      assertThat(f.cause()).isEqualTo("transaction");
    });
    assertThat(Failures.transientCause(new InvalidProducerEpochException("old epoch")))
        .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo("transaction"));
  }

  @Test
  void anErrorCodeTheTransactionManagerHasNoCaseForIsKafkasFaultButOtherKafkaExceptionsAreNot() {
    KafkaException unhandled = new KafkaException("Unhandled error in EndTxnResponse: The server experienced an "
        + "unexpected error when processing the request.");
    unhandled.setStackTrace(new StackTraceElement[] {new StackTraceElement(
        "org.apache.kafka.clients.producer.internals.TransactionManager$EndTxnHandler", "handleResponse",
        "TransactionManager.java", 1809)});
    KafkaException elsewhere = new KafkaException("Failed to construct kafka consumer");

    assertThat(Failures.transientCause(new StreamsException("Error encountered trying to commit a transaction",
        unhandled))).hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo("transaction"));
    assertThat(Failures.transientCause(elsewhere)).isEmpty();
  }

  @Test
  void aFullScorerQueueIsTheScorersFaultButAnUnscorableTurnIsTheTurns() {
    ScoringException overloaded = new ScoringException("queue full",
        new RejectedException("batcher minilm queue stayed full (64 requests) for 10000 ms"));
    ScoringException unscorable = new UnscorableTurnException("t", UnscorableTurnException.Reason.NO_VISIBLE_TEXT,
        "turn t shows no visible text", null);

    assertThat(Failures.transientCause(overloaded)).hasValueSatisfying(f -> {
      assertThat(f.dependency()).isEqualTo(Dependency.SCORER);
      assertThat(f.cause()).isEqualTo("overloaded");
    });
    assertThat(Failures.transientCause(unscorable)).isEmpty();
  }

  @Test
  void anythingUnrecognisedIsTheRecordsFaultSoAPoisonRecordCannotStallAPartition() {
    assertThat(Failures.transientCause(new StreamsException(new IllegalStateException("bug")))).isEmpty();
    assertThat(Failures.transientCause(new NullPointerException())).isEmpty();
    assertThat(Failures.transientCause(new IOException("Permission denied"))).isEmpty();
  }

  private static SerdeException deserializeWith(String url) {
    return catchThrowableOfType(SerdeException.class, () -> deserializer(url).deserialize("chat-turns", FRAME));
  }

  private static RegistryAvroDeserializer<ChatTurn> deserializer(String url) {
    RegistryAvroDeserializer<ChatTurn> d = new RegistryAvroDeserializer<>(ChatTurn.class);
    d.configure(Map.of("schema.registry.url", url), false);
    return d;
  }
}
