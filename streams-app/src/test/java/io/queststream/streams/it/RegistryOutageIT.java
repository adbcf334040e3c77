package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.app.Readiness;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.HashingScorer;
import io.queststream.streams.support.Pipeline;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.Turns;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.SchemaRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A schema registry outage on a real broker and a real registry (stopped and started on its storage, so ids survive):
 * turns read while the registry is away wait and are scored once it is back, a restart during the outage waits for
 * the registry instead of failing, and nothing is dead-lettered.
 */
@RealKafka
class RegistryOutageIT {

  static KafkaBroker broker;

  @Test
  void turnsReadDuringARegistryOutageAreScoredOnceWhenItReturnsAndNoneIsDeadLettered() throws Exception {
    Path storage = Files.createTempDirectory("registry-outage");
    try (SchemaRegistryServer registry = SchemaRegistryServer.startPersistent(storage)) {
      Pipeline p = new Pipeline(broker, registry, Map.of("batch.max-size", "1",
          "recovery.backoff-initial-ms", "500", "recovery.backoff-max-ms", "2000"));
      HashingScorer scorer = new HashingScorer();
      List<String> expected = new ArrayList<>();
      try (KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
          KafkaProducer<String, byte[]> turns = p.rawProducer()) {
        // given a running app whose chat-turns reader has not fetched the turn schema yet, and turns framed while
        // the registry was up
        weights.send(new ProducerRecord<>(p.config.topics().rewardWeights(), TestHeads.MODEL_NAME,
            TestHeads.of(HashingScorer.BACKBONE_ID, HashingScorer.DIM, 1, 1))).get();
        List<ProducerRecord<String, byte[]>> during = conversation(p, "c1", 3, expected);
        List<ProducerRecord<String, byte[]>> afterRestart = conversation(p, "c2", 3, expected);
        ScoringApp first = new ScoringApp(p.config, scorer, ScoringMetrics.standalone());
        first.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> first.readiness().ready());

        // when the registry stops and turns arrive
        registry.stop();
        send(turns, during);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(first.readiness().reasons())
            .anySatisfy(r -> assertThat(r).startsWith("schema-registry failing (unavailable)")));
        assertThat(first.state()).isNotEqualTo(KafkaStreams.State.ERROR);

        // and the app restarts during the outage, with nothing cached
        first.close();
        ScoringApp second = new ScoringApp(p.config, scorer, ScoringMetrics.standalone());
        CompletableFuture<Void> starting = CompletableFuture.runAsync(second::start);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(second.readiness().reasons())
            .contains("waiting for the schema registry to register the output schemas")
            .anySatisfy(r -> assertThat(r).startsWith("schema-registry failing (unavailable)")));
        send(turns, afterRestart);
        Thread.sleep(3_000);
        assertThat(starting).as("start-up waits for the registry").isNotDone();

        // then, once the registry is back, every turn is scored exactly once and nothing is dead-lettered
        registry.restart();
        starting.get();
        try (second) {
          List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class,
              expected.size(), Duration.ofSeconds(120), Duration.ofSeconds(5), true);
          assertThat(scores).extracting(r -> r.value().getTurnId()).containsExactlyInAnyOrderElementsOf(expected);
          assertThat(p.readRaw(p.config.topics().deadLetters(), 0, Duration.ZERO, Duration.ofSeconds(5)))
              .as("dead letters").isEmpty();
          await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Readiness r = second.readiness();
            assertThat(r.reasons()).isEmpty();
          });
        }
      }
    }
  }

  /** A user turn and an assistant reply, `replies` times, framed now (the registry is up). */
  private static List<ProducerRecord<String, byte[]>> conversation(Pipeline p, String conversation, int replies,
      List<String> expected) {
    RegistryAvroSerde<ChatTurn> serde = new RegistryAvroSerde<>(ChatTurn.class);
    serde.configure(p.config.clientProperties(), false);
    String topic = p.config.topics().chatTurns();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < replies; i++) {
      String user = conversation + "-u" + i;
      String assistant = conversation + "-a" + i;
      records.add(new ProducerRecord<>(topic, conversation, serde.serializer().serialize(topic,
          Turns.user(conversation, user, "Any news from town, " + i + "?"))));
      records.add(new ProducerRecord<>(topic, conversation, serde.serializer().serialize(topic,
          Turns.assistant(conversation, assistant, "The mill burned down and the miller is missing, " + i + ".",
              user))));
      expected.add(assistant);
    }
    return records;
  }

  private static void send(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records)
      throws Exception {
    for (ProducerRecord<String, byte[]> r : records) {
      producer.send(r).get();
    }
  }
}
