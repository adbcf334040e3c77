package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.TurnSelection;
import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.streams.analytics.AnalyticsApp;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.Pipeline;
import io.queststream.streams.support.Scores;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * Selections among regenerations on a real broker and registry: the analytics app turns a selection over n scored
 * replies into exactly n−1 preference pairs on the preferences topic, and every hostile selection into exactly one
 * dead letter with its kind and reason.
 */
@RealKafka
@RealSchemaRegistry
class SelectionsIT {

  private static final Duration SETTLE = Duration.ofSeconds(6);
  private static final String CONVERSATION = "c-swipes";

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @Test
  void aSelectionOverFourRepliesYieldsExactlyThreePairsAndEveryHostileSelectionOneDeadLetter() throws Exception {
    Pipeline p = new Pipeline(broker, registry, Map.of("analytics.enabled", "true", "commit.interval.ms", "100",
        "analytics.selections.resolve-timeout-ms", "3000", "analytics.selections.scan-interval-ms", "500"));
    AppConfig config = p.configWith("state.dir", Files.createTempDirectory("selections-it").toString());
    ScoringMetrics metrics = ScoringMetrics.standalone();
    String selectionsTopic = p.config.topics().turnSelections();
    try (KafkaProducer<String, TurnScore> scores = p.producer(TurnScore.class);
        KafkaProducer<String, TurnSelection> selections = p.producer(TurnSelection.class);
        KafkaProducer<String, byte[]> raw = p.rawProducer();
        AnalyticsApp app = new AnalyticsApp(config, metrics, config.clientProperties(), config.clientProperties(),
            e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT, () -> { }, DeadLetterLimit.KAFKA_DEFAULT)) {
      app.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);

      // given four regenerations of u1 and one reply to u2, scored
      for (String r : List.of("r1", "r2", "r3", "r4")) {
        scores.send(new ProducerRecord<>(p.config.topics().turnScores(), CONVERSATION, reply(r, "u1")));
      }
      scores.send(new ProducerRecord<>(p.config.topics().turnScores(), CONVERSATION, reply("q1", "u2")));
      scores.flush();

      // when the user keeps r3; then the same selection comes again, one names a turn that was never scored, one
      // names u2's reply as a regeneration of u1, and one is not a selection at all
      selections.send(new ProducerRecord<>(selectionsTopic, CONVERSATION, selection("s1", "u1", "r3")));
      selections.send(new ProducerRecord<>(selectionsTopic, CONVERSATION, selection("s1", "u1", "r3")));
      selections.send(new ProducerRecord<>(selectionsTopic, CONVERSATION, selection("s-unknown", "u2", "r-none")));
      selections.send(new ProducerRecord<>(selectionsTopic, CONVERSATION, selection("s-wrong", "u1", "q1")));
      selections.flush();
      raw.send(new ProducerRecord<>(selectionsTopic, CONVERSATION, "{\"chosen\": \"r1\"}".getBytes(
          StandardCharsets.UTF_8)));
      raw.flush();

      // then exactly three pairs, r3 over each other regeneration, with the selection as provenance
      List<ConsumerRecord<String, PreferencePair>> pairs = p.read(p.config.topics().turnPreferences(),
          PreferencePair.class, 3, Duration.ofSeconds(60), SETTLE, true);
      assertThat(pairs).extracting(r -> r.value().getChosenTurnId(), r -> r.value().getRejectedTurnId())
          .containsExactlyInAnyOrder(tuple("r3", "r1"), tuple("r3", "r2"), tuple("r3", "r4"));
      assertThat(pairs).allSatisfy(r -> {
        assertThat(r.key()).isEqualTo("u1");
        assertThat(r.value().getSelectionId()).isEqualTo("s1");
        assertThat(r.value().getSource()).isEqualTo("swipe");
        assertThat(r.value().getRaterId()).isEqualTo("user-1");
      });

      // and exactly one dead letter per hostile selection, with its kind and reason
      List<ConsumerRecord<String, byte[]>> dead = p.readRaw(p.config.topics().deadLetters(), 4,
          Duration.ofSeconds(60), SETTLE);
      assertThat(dead).extracting(d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND),
              d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON))
          .containsExactlyInAnyOrder(
              tuple(DeadLetterKind.SELECTION.tag(), "DUPLICATE_SELECTION"),
              tuple(DeadLetterKind.SELECTION.tag(), "UNKNOWN_TURN"),
              tuple(DeadLetterKind.SELECTION.tag(), "WRONG_PARENT"),
              tuple(DeadLetterKind.DESERIALIZATION.tag(), "BAD_MAGIC_BYTE"));
      assertThat(dead).allSatisfy(d -> {
        assertThat(d.key()).isEqualTo(CONVERSATION);
        assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(selectionsTopic);
      });
      assertThat(metrics.deadLetters(DeadLetterKind.SELECTION)).isEqualTo(3);
    }
  }

  private static TurnScore reply(String turnId, String parent) {
    return TurnScore.newBuilder(Scores.score(turnId, "m-a", "innkeeper", 1, 5, 5, 1))
        .setConversationId(CONVERSATION).setParentTurnId(parent)
        .setTurnCreatedAt(Instant.now().minusSeconds(5)).build();
  }

  private static TurnSelection selection(String id, String parent, String chosen) {
    return TurnSelection.newBuilder().setSelectionId(id).setConversationId(CONVERSATION).setParentTurnId(parent)
        .setChosenTurnId(chosen).setUserId("user-1").setCreatedAt(Instant.now()).build();
  }
}
