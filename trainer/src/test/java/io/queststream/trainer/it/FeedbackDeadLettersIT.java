package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.schemas.deadletters.DeadLetterFit;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.trainer.feedback.DeadLetters;
import io.queststream.trainer.feedback.KafkaDeadLetters;
import io.queststream.trainer.feedback.RejectionCause;
import io.queststream.trainer.feedback.SourceRecord;
import io.queststream.trainer.publish.PublisherFencedException;
import io.queststream.trainer.support.CommittedDeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.junit.jupiter.api.Test;

/**
 * The trainer's dead letters on a real broker: written only by the transaction that commits them, forgotten when
 * their records are to be consumed again, and refused to a trainer whose id another has taken over.
 */
@RealKafka
class FeedbackDeadLettersIT {

  private static final ConsumerGroupMetadata NO_OFFSETS = new ConsumerGroupMetadata("unused");

  static KafkaBroker broker;

  @Test
  void aDeadLetterIsWrittenByTheCommitThatHoldsItAndADroppedOneNever() {
    String topic = topic("held");
    List<RejectionCause> counted = new ArrayList<>();
    try (KafkaDeadLetters dl = new KafkaDeadLetters(topic, topic + "-tx", kafka(), (s, c, m) -> counted.add(c))) {
      // given a rejection held and committed, and one held and dropped (its record is to be consumed again)
      dl.records().reject(source(7), RejectionCause.RATING_OUT_OF_SCALE, "rating r7 gives creativity = 99.0");
      dl.commit(Map.of(), NO_OFFSETS);
      dl.records().reject(source(8), RejectionCause.UNDECODABLE, "not avro");
      dl.dropRecordRejections();
      dl.commit(Map.of(), NO_OFFSETS);

      // then exactly the committed one is on the topic, with its source, and counted once
      assertThat(read(topic)).containsExactly("RATING_OUT_OF_SCALE@7");
      assertThat(counted).containsExactly(RejectionCause.RATING_OUT_OF_SCALE);
      assertThat(dl.holdsAny()).isFalse();
    }
  }

  @Test
  void aTrainerWhoseIdIsTakenOverCannotCommitItsDeadLetters() {
    String topic = topic("fenced");
    DeadLetters ignore = (s, c, m) -> { };
    try (KafkaDeadLetters first = new KafkaDeadLetters(topic, topic + "-tx", kafka(), ignore);
        KafkaDeadLetters second = new KafkaDeadLetters(topic, topic + "-tx", kafka(), ignore)) {
      // given a trainer that has committed a dead letter, and a second one started under the same id
      first.records().reject(source(1), RejectionCause.UNDECODABLE, "one");
      first.commit(Map.of(), NO_OFFSETS);
      second.records().reject(source(2), RejectionCause.UNDECODABLE, "two");
      second.commit(Map.of(), NO_OFFSETS);

      // when the first commits again
      first.records().reject(source(3), RejectionCause.UNDECODABLE, "three");

      // then it is refused as fenced, and its dead letter never shows
      assertThatThrownBy(() -> first.commit(Map.of(), NO_OFFSETS)).isInstanceOf(PublisherFencedException.class)
          .hasMessageContaining(topic + "-tx");
      assertThat(read(topic)).containsExactly("UNDECODABLE@1", "UNDECODABLE@2");
    }
  }

  @Test
  void aRecordTooLargeToForwardWholeIsDeadLetteredCutWithItsLengths() {
    // given a topic that takes 1 MiB records, and a rejected record of 1 MiB with a 10 KiB key and a 200 KiB message
    String topic = topic("large");
    byte[] value = new byte[1024 * 1024];
    java.util.Arrays.fill(value, (byte) 'v');
    byte[] key = new byte[10 * 1024];
    String message = "rating r1 rates unknown attribute '" + "a".repeat(200 * 1024) + "'";
    try (KafkaDeadLetters dl = new KafkaDeadLetters(topic, topic + "-tx", kafka(), (s, c, m) -> { })) {
      dl.records().reject(new SourceRecord("turn-ratings", 0, 5, key, value), RejectionCause.UNKNOWN_ATTRIBUTE,
          message);

      // when it is committed
      dl.commit(Map.of(), NO_OFFSETS);
    }

    // then one dead letter, its value, key and message cut, the original lengths in headers
    List<ConsumerRecord<byte[], byte[]>> got = CommittedDeadLetters.read(broker.bootstrapServers(), topic);
    assertThat(got).hasSize(1);
    ConsumerRecord<byte[], byte[]> r = got.get(0);
    assertThat(r.value()).hasSize(1024 * 1024 - 64 * 1024);
    assertThat(CommittedDeadLetters.header(r, DeadLetterFit.VALUE_CUT_FROM)).isEqualTo("1048576");
    assertThat(r.key()).hasSize(4096);
    assertThat(CommittedDeadLetters.header(r, DeadLetterFit.KEY_CUT_FROM)).isEqualTo("10240");
    assertThat(CommittedDeadLetters.header(r, KafkaDeadLetters.MESSAGE)).hasSize(4096)
        .startsWith("rating r1 rates unknown attribute 'aaa");
    assertThat(CommittedDeadLetters.header(r, "quest.source.offset")).isEqualTo("5");
  }

  @Test
  void aDeadLetterTopicSmallerThanTheProducersRequestsCutsToItsOwnLimit() {
    // given a dead-letter topic that takes records of 256 KiB, a producer that sends 8 MiB, and a rejected record
    // of 512 KiB, which the feedback topics take
    String topic = KafkaBroker.uniqueName("small") + "-dlq";
    broker.createTopic(topic, 1, Map.of("max.message.bytes", Integer.toString(256 * 1024)));
    byte[] value = new byte[512 * 1024];
    java.util.Arrays.fill(value, (byte) 'v');
    Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers(), "max.request.size",
        8 * 1024 * 1024);
    try (KafkaDeadLetters dl = new KafkaDeadLetters(topic, topic + "-tx", kafka, (s, c, m) -> { })) {
      dl.records().reject(new SourceRecord("turn-ratings", 0, 9, null, value), RejectionCause.UNDECODABLE, "bad");

      // when it is committed
      dl.commit(Map.of(), NO_OFFSETS);
    }

    // then the broker took it, cut to the topic's limit less the room for headers
    List<ConsumerRecord<byte[], byte[]>> got = CommittedDeadLetters.read(broker.bootstrapServers(), topic);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).value()).hasSize(256 * 1024 - DeadLetterFit.ROOM);
    assertThat(CommittedDeadLetters.header(got.get(0), DeadLetterFit.VALUE_CUT_FROM)).isEqualTo("524288");
    assertThat(CommittedDeadLetters.header(got.get(0), "quest.source.offset")).isEqualTo("9");
  }

  private static String topic(String name) {
    String topic = KafkaBroker.uniqueName(name) + "-dlq";
    broker.createTopic(topic, 1, Map.of());
    return topic;
  }

  private static Map<String, Object> kafka() {
    return Map.of("bootstrap.servers", broker.bootstrapServers());
  }

  private static SourceRecord source(long offset) {
    return new SourceRecord("turn-ratings", 0, offset, null, ("record " + offset).getBytes(StandardCharsets.UTF_8));
  }

  /** "CAUSE@source offset" of every committed dead letter. */
  private static List<String> read(String topic) {
    return CommittedDeadLetters.read(broker.bootstrapServers(), topic).stream()
        .map(r -> CommittedDeadLetters.header(r, KafkaDeadLetters.CAUSE) + "@"
            + CommittedDeadLetters.header(r, "quest.source.offset"))
        .toList();
  }
}
