package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.ObservedScorer;
import io.queststream.streams.support.Pipeline;
import io.queststream.streams.support.SharedMiniLm;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.Turns;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Bad input on a real broker and registry: dead letters with their cause, and the app keeps scoring. */
@RealKafka
@RealSchemaRegistry
class DeadLetterIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @Test
  void undecodableAndInvalidTurnsBecomeDeadLettersAndGoodTurnsAreStillScored() throws Exception {
    Pipeline p = new Pipeline(broker, registry, Map.of("batch.max-size", "1"));
    ScoringMetrics metrics = ScoringMetrics.standalone();
    String turnsTopic = p.config.topics().chatTurns();
    try (ScoringApp app = new ScoringApp(p.config, ObservedScorer.watching(SharedMiniLm.scorer()), metrics);
        KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class);
        KafkaProducer<String, byte[]> raw = p.rawProducer()) {
      weights.send(new ProducerRecord<>(p.config.topics().rewardWeights(), TestHeads.MODEL_NAME,
          SharedMiniLm.heads(1))).get();
      app.start();

      raw.send(new ProducerRecord<>(turnsTopic, "c1", "not avro at all".getBytes(StandardCharsets.UTF_8))).get();
      raw.send(new ProducerRecord<>(turnsTopic, "c1", new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 4})).get();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.turn("c1", "t1", "narrator", "Hello.", null))).get();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.user("c1", "t2", " "))).get();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.user("c1", "t3", "Hello?"))).get();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.assistant("c1", "t4", "Welcome in.", "t3"))).get();

      List<ConsumerRecord<String, byte[]>> dead = p.readRaw(p.config.topics().deadLetters(), 4,
          Duration.ofSeconds(60), Duration.ofSeconds(3));
      List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class, 1,
          Duration.ofSeconds(60), Duration.ZERO, true);

      assertThat(dead).hasSize(4);
      assertThat(dead.subList(0, 2)).allSatisfy(d -> {
        assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.EXCEPTION)).isNotBlank();
        assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.MESSAGE)).isNotBlank();
        assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(turnsTopic);
      });
      assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
      assertThat(dead.subList(0, 2)).extracting(d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON))
          .containsExactly("BAD_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID");
      assertThat(dead.subList(0, 2)).allSatisfy(d ->
          assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND)).isEqualTo("deserialization"));
      assertThat(dead.subList(2, 4)).extracting(d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON))
          .containsExactly("UNKNOWN_ROLE", "EMPTY_TEXT");
      assertThat(dead.subList(2, 4)).allSatisfy(d ->
          assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND)).isEqualTo("validation"));
      assertThat(scores).extracting(r -> r.value().getTurnId()).containsExactly("t4");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(metrics.deadLetters(DeadLetterKind.DESERIALIZATION)).isEqualTo(2);
        assertThat(metrics.deadLetters(DeadLetterKind.VALIDATION)).isEqualTo(2);
      });
    }
  }
}
