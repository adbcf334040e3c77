package io.queststream.streams.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.serde.registry.SchemaRegistryException;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.TemporaryStateDir;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A decoding source on Kafka Streams' test driver, with a value deserializer that reads "ok:..." and refuses
 * anything else: bad bytes become one dead letter each, written while the record itself is processed; a registry
 * failure is not a dead letter.
 */
class DecodingSourceTest {

  private static final String TOPIC = "things";
  private static final String DEAD = "dead-letters";

  private final ScoringMetrics metrics = ScoringMetrics.standalone();
  private TemporaryStateDir stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> input;
  private TestOutputTopic<String, String> decoded;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> values = Serdes.serdeFrom(Serdes.String().serializer(), new OkOnly());
    DecodingSource.stream(builder, TOPIC, Serdes.String(), values, DEAD, metrics)
        .to("decoded", Produced.with(Serdes.String(), Serdes.String()));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decoding-source-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // Were the source node decoding, a bad record would stop the driver here rather than become a dead letter.
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailExceptionHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, CountingProcessingExceptionHandler.class);
    props.put(ScoringMetrics.CONFIG_KEY, metrics);
    stateDir = TemporaryStateDir.create("decoding-source");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.path().toString());
    driver = new TopologyTestDriver(builder.build(), props);
    input = driver.createInputTopic(TOPIC, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    decoded = driver.createOutputTopic("decoded", Serdes.String().deserializer(), Serdes.String().deserializer());
    deadLetters = driver.createOutputTopic(DEAD, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    stateDir.close();
  }

  @Test
  void undecodableBytesBecomeOneDeadLetterEachWithTheOriginalBytesAndPositionAndTheRestFlowOn() {
    input.pipeInput("k1", bytes("ok:first"));
    input.pipeInput("k2", bytes("garbage"));
    input.pipeInput("k3", bytes("ok:second"));

    assertThat(decoded.readValuesToList()).containsExactly("first", "second");
    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("k2");
      assertThat(new String(d.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND)).isEqualTo("deserialization");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.EXCEPTION))
          .isEqualTo(SerializationException.class.getName());
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.MESSAGE)).isEqualTo("not ok: garbage");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(TOPIC);
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.PARTITION)).isEqualTo("0");
      assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("1");
    });
    assertThat(metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isEqualTo(1);
  }

  @Test
  void aRecordWithoutAValueIsPassedOnForTheTopologyToJudge() {
    input.pipeInput("k1", (byte[]) null);

    assertThat(decoded.readRecordsToList()).singleElement()
        .satisfies(r -> assertThat(r.value()).isNull());
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void bytesThatFailBecauseTheRegistryIsDownFailTheThreadWithoutADeadLetter() {
    assertThatThrownBy(() -> input.pipeInput("k1", bytes("registry-down")))
        .isInstanceOf(StreamsException.class)
        .hasRootCauseInstanceOf(SchemaRegistryException.class);

    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(decoded.isEmpty()).isTrue();
    assertThat(metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isZero();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads "ok:x" as x; "registry-down" fails as an unreachable registry does; anything else is bad bytes. */
  private static final class OkOnly implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] data) {
      String s = new String(data, StandardCharsets.UTF_8);
      if (s.equals("registry-down")) {
        throw new SerializationException("REGISTRY_UNAVAILABLE",
            new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE, "registry unreachable"));
      }
      if (!s.startsWith("ok:")) {
        throw new SerializationException("not ok: " + s);
      }
      return s.substring(3);
    }
  }
}
