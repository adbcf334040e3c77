package io.queststream.streams.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.serde.registry.SchemaRegistryException;
import io.queststream.streams.health.Dependency;
import io.queststream.streams.health.DependencyHealth;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.serde.StrictUtf8Serde;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The app's exception handlers: a record that is bad in itself resumes with a dead letter; a record that failed
 * because a dependency did fails the thread without one, so that it is read again.
 */
class TransientFailureHandlersTest {

  private static final ErrorHandlerContext CONTEXT = context("c1".getBytes(StandardCharsets.UTF_8),
      new byte[] {0, 0, 0, 0, 5, 2, 'x'});

  /** The context of a record of chat-turns, partition 1, offset 42, read from these bytes. */
  private static ErrorHandlerContext context(byte[] rawKey, byte[] rawValue) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return "chat-turns";
      }

      @Override
      public int partition() {
        return 1;
      }

      @Override
      public long offset() {
        return 42;
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return "KSTREAM-SOURCE-0000000001";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, 1);
      }

      @Override
      public long timestamp() {
        return 0;
      }

      @Override
      public byte[] sourceRawKey() {
        return rawKey;
      }

      @Override
      public byte[] sourceRawValue() {
        return rawValue;
      }
    };
  }

  private static final ConsumerRecord<byte[], byte[]> RECORD =
      new ConsumerRecord<>("chat-turns", 1, 42, CONTEXT.sourceRawKey(), CONTEXT.sourceRawValue());

  private final ScoringMetrics metrics = ScoringMetrics.standalone();
  private final DependencyHealth health = new DependencyHealth(new SimpleMeterRegistry());
  private final Map<String, Object> configs = Map.of(
      StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "scoring-dlq",
      ScoringMetrics.CONFIG_KEY, metrics,
      DependencyHealth.CONFIG_KEY, health);

  private static SerializationException registryDown() {
    return new SerializationException("REGISTRY_UNAVAILABLE",
        new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE, "registry unreachable"));
  }

  @Test
  void anUnreadableRecordWhileTheRegistryIsDownFailsTheThreadWithoutADeadLetter() {
    CountingDeserializationExceptionHandler handler = new CountingDeserializationExceptionHandler();
    handler.configure(configs);

    DeserializationExceptionHandler.Response response = handler.handleError(CONTEXT, RECORD, registryDown());

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
    assertThat(metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isZero();
    assertThat(health.isFailing(Dependency.SCHEMA_REGISTRY)).isTrue();
  }

  @Test
  void aRecordThatIsBadInItselfResumesWithExactlyOneDeadLetter() {
    CountingDeserializationExceptionHandler handler = new CountingDeserializationExceptionHandler();
    handler.configure(configs);

    DeserializationExceptionHandler.Response response = handler.handleError(CONTEXT, RECORD,
        new SerializationException("BAD_MAGIC_BYTE on topic 'chat-turns'"));

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).singleElement()
        .satisfies(r -> assertThat(r.topic()).isEqualTo("scoring-dlq"));
    assertThat(metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isEqualTo(1);
    assertThat(health.reasons()).isEmpty();
  }

  @Test
  void aKeyThatIsNotUtf8ResumesWithOneDeadLetterOfItsBytesAndReasonMalformedKey() {
    CountingDeserializationExceptionHandler handler = new CountingDeserializationExceptionHandler();
    handler.configure(configs);
    byte[] key = {'c', (byte) 0xff};
    ErrorHandlerContext context = context(key, CONTEXT.sourceRawValue());
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("chat-turns", 1, 42, key, CONTEXT.sourceRawValue());
    Exception refused = assertThrows(SerializationException.class,
        () -> new StrictUtf8Serde().deserializer().deserialize("chat-turns", key));

    DeserializationExceptionHandler.Response response = handler.handleError(context, record, refused);

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo(key);
      assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.KIND)).isEqualTo("deserialization");
      assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON)).isEqualTo("MALFORMED_KEY");
      assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.MESSAGE))
          .isEqualTo("the key of a record on chat-turns is not valid UTF-8 (2 bytes, malformed from byte 1)");
    });
    assertThat(metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isEqualTo(1);
  }

  @Test
  void aStoreWriteOnAFullDiskFailsTheThreadWithoutADeadLetter() {
    CountingProcessingExceptionHandler handler = new CountingProcessingExceptionHandler();
    handler.configure(configs);

    ProcessingExceptionHandler.Response response = handler.handleError(CONTEXT, new Record<>("c1", "turn", 0L),
        new ProcessorStateException("Error while putting key/value into store conversation-history",
            new java.io.IOException("No space left on device")));

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
    assertThat(metrics.deadLetters(DeadLetterKind.PROCESSING)).isZero();
    assertThat(health.isFailing(Dependency.STATE_DIRECTORY)).isTrue();
  }

  @Test
  void aProcessorBugResumesWithExactlyOneDeadLetter() {
    CountingProcessingExceptionHandler handler = new CountingProcessingExceptionHandler();
    handler.configure(configs);

    ProcessingExceptionHandler.Response response = handler.handleError(CONTEXT, new Record<>("c1", "turn", 0L),
        new IllegalArgumentException("no such attribute"));

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).hasSize(1);
    assertThat(metrics.deadLetters(DeadLetterKind.PROCESSING)).isEqualTo(1);
  }

  @Test
  void anOutputTheRegistryCouldNotTakeFailsTheThreadWithoutADeadLetterOfItsGoodSource() {
    TransientAwareProductionExceptionHandler handler = new TransientAwareProductionExceptionHandler();
    handler.configure(configs);

    ProductionExceptionHandler.Response response = handler.handleSerializationError(CONTEXT,
        new ProducerRecord<>("turn-scores", "c1", "score"), registryDown(), SerializationExceptionOrigin.VALUE);

    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
    assertThat(health.isFailing(Dependency.SCHEMA_REGISTRY)).isTrue();
  }
}
