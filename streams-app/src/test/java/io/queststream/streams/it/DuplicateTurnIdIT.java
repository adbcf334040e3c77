package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.errors.DeadLetterHeaders;
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
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Remembered turn ids survive a restart on an empty state directory: they are restored from the changelog. A clean
 * close leaves the consumer groups, so a restarted or remaining instance takes the partitions at once.
 */
@RealKafka
@RealSchemaRegistry
class DuplicateTurnIdIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @Test
  void givenACleanClose_thenNeitherConsumerGroupKeepsAMember() throws Exception {
    Pipeline p = new Pipeline(broker, registry, Map.of("analytics.enabled", "true"));
    String scoring = p.id;
    String analytics = p.id + "-analytics";
    try (KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class)) {
      weights.send(new ProducerRecord<>(p.config.topics().rewardWeights(), TestHeads.MODEL_NAME,
          SharedMiniLm.heads(1))).get();
      try (ScoringApp app = new ScoringApp(p.config, ObservedScorer.watching(SharedMiniLm.scorer()),
          ScoringMetrics.standalone())) {
        app.start();
        turns.send(new ProducerRecord<>(p.config.topics().chatTurns(), "c1",
            Turns.assistant("c1", "a1", "Welcome in, traveller.", null))).get();
        assertThat(p.read(p.config.topics().turnScores(), TurnScore.class, 1, Duration.ofSeconds(60),
            Duration.ZERO, true)).hasSize(1);
        // Each client joins its group on its own thread; the analytics group may still be forming.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
          assertThat(members(scoring)).isEqualTo(1);
          assertThat(members(analytics)).isEqualTo(1);
        });
      }
    }

    // Staying in the group would leave each member there until the session timeout (45 s) expired it.
    assertThat(members(scoring)).isZero();
    assertThat(members(analytics)).isZero();
  }

  private static int members(String group) throws Exception {
    ConsumerGroupDescription d = broker.admin().describeConsumerGroups(List.of(group)).all().get().get(group);
    return d.members().size();
  }

  @Test
  void aCopySentAfterARestartOnEmptyLocalStateIsDeadLetteredAndTheTurnKeepsOneScore() throws Exception {
    Pipeline p = new Pipeline(broker, registry, Map.of("batch.max-size", "1"));
    String turnsTopic = p.config.topics().chatTurns();
    ChatTurn reply = Turns.assistant("c1", "a1", "Welcome in, traveller.", null);
    try (KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class)) {
      weights.send(new ProducerRecord<>(p.config.topics().rewardWeights(), TestHeads.MODEL_NAME,
          SharedMiniLm.heads(1))).get();
      try (ScoringApp first = new ScoringApp(p.config, ObservedScorer.watching(SharedMiniLm.scorer()),
          ScoringMetrics.standalone())) {
        first.start();
        turns.send(new ProducerRecord<>(turnsTopic, "c1", reply)).get();
        assertThat(p.read(p.config.topics().turnScores(), TurnScore.class, 1, Duration.ofSeconds(60),
            Duration.ZERO, true)).hasSize(1);
      }

      ScoringMetrics metrics = ScoringMetrics.standalone();
      try (ScoringApp second = new ScoringApp(p.configWith("state.dir",
          Files.createTempDirectory("streams-it-restart").toString()), ObservedScorer.watching(SharedMiniLm.scorer()),
          metrics)) {
        second.start();
        turns.send(new ProducerRecord<>(turnsTopic, "c1", reply)).get();
        turns.send(new ProducerRecord<>(turnsTopic, "c1",
            Turns.assistant("c1", "a2", "The fire is warm.", null))).get();

        List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class, 2,
            Duration.ofSeconds(60), Duration.ofSeconds(2), true);
        List<ConsumerRecord<String, byte[]>> dead = p.readRaw(p.config.topics().deadLetters(), 1,
            Duration.ofSeconds(30), Duration.ofSeconds(3));

        assertThat(scores).extracting(r -> r.value().getTurnId()).containsExactly("a1", "a2");
        assertThat(dead).hasSize(1);
        assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.REASON))
            .isEqualTo("DUPLICATE_TURN_ID");
        assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.MESSAGE))
            .contains("turn a1 of conversation c1 was already received (first copy at offset 0)");
        assertThat(metrics.duplicateTurns()).isEqualTo(1);
      }
    }
  }
}
