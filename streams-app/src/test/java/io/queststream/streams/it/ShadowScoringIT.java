package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.WeightsVersion;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.signing.HeadsSigner;
import io.queststream.model.signing.SigningKeys;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.Pipeline;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.Turns;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A candidate weights version shadowed on live traffic (docs/shadow.md): hostile candidates are refused with their
 * reason and never shadow a turn; a verified candidate puts a shadow score next to every turn scored while it is
 * active, from the same embeddings; after it is discarded (a tombstone) or promoted (published again as a serving
 * version), no turn is shadowed.
 */
@RealKafka
@RealSchemaRegistry
class ShadowScoringIT {

  static KafkaBroker broker;
  static SchemaRegistryServer registry;
  /** Its own scorer: the candidate it shadows is per scorer. */
  private static RewardScorer scorer;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeAll
  static void loadModel() throws Exception {
    scorer = RewardScorers.create(ModelConfig.defaults());
  }

  @AfterAll
  static void closeModel() {
    scorer.close();
  }

  private static RewardHeads unsigned(long version, String status) {
    RewardHeads h = TestHeads.unsigned(scorer.backbone().id(), scorer.backbone().embeddingDim(), version, version);
    h.setStatus(status);
    return h;
  }

  private static RewardHeads signed(long version, String status) {
    return TestHeads.sign(unsigned(version, status));
  }

  @Test
  void shadowsEveryTurnWhileAVerifiedCandidateIsActiveAndNoneBeforeOrAfter() throws Exception {
    Pipeline p = new Pipeline(broker, registry, Map.of("batch.max-size", "4", "moderation.score-min", "0"));
    String turnsTopic = p.config.topics().chatTurns();
    String weightsTopic = p.config.topics().rewardWeights();
    String candidateKey = WeightsContract.candidateKey(TestHeads.MODEL_NAME);
    ScoringMetrics metrics = new ScoringMetrics(new SimpleMeterRegistry());
    try (ScoringApp app = new ScoringApp(p.config, scorer, metrics);
        KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class)) {
      app.start();
      weights.send(new ProducerRecord<>(weightsTopic, TestHeads.MODEL_NAME, signed(1, "promoted"))).get();
      await().atMost(WAIT).until(() -> scorer.currentWeights().map(WeightsVersion::version).orElse(0L) == 1);

      // Hostile candidates: unsigned, signed by a key the app does not trust, a serving record under the candidate
      // key, and a signed candidate slipped under the serving key.
      HeadsSigner stranger = HeadsSigner.of(SigningKeys.generate().getPrivate());
      weights.send(new ProducerRecord<>(weightsTopic, candidateKey, unsigned(2, "candidate"))).get();
      weights.send(new ProducerRecord<>(weightsTopic, candidateKey, stranger.sign(unsigned(2, "candidate")))).get();
      weights.send(new ProducerRecord<>(weightsTopic, candidateKey, signed(2, "promoted"))).get();
      weights.send(new ProducerRecord<>(weightsTopic, TestHeads.MODEL_NAME, signed(2, "candidate"))).get();
      List<ConsumerRecord<String, byte[]>> refused = p.readRaw(p.config.topics().deadLetters(), 4, WAIT,
          Duration.ofSeconds(2));
      assertThat(refused).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON))
          .containsExactly("UNSIGNED", "UNTRUSTED_KEY", "ROLE_MISMATCH", "ROLE_MISMATCH");
      assertThat(refused).allSatisfy(r -> assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.KIND))
          .isEqualTo("weights"));
      assertThat(scorer.currentCandidate()).isEmpty();
      assertThat(scorer.currentWeights().orElseThrow().version()).isEqualTo(1);

      List<String> all = new ArrayList<>();
      all.addAll(send(turns, turnsTopic, "before", 4));
      readScores(p, all.size());
      assertThat(readShadow(p)).as("no candidate has passed verification: nothing is shadowed").isEmpty();

      weights.send(new ProducerRecord<>(weightsTopic, candidateKey, signed(2, "candidate"))).get();
      await().atMost(WAIT).until(() -> metrics.candidateVersion() == 2);
      List<String> shadowedFirst = send(turns, turnsTopic, "discarded", 6);
      all.addAll(shadowedFirst);
      Map<String, TurnScore> scores = readScores(p, all.size());
      List<ShadowScore> shadow = readShadow(p);
      assertThat(shadow).extracting(ShadowScore::getTurnId).containsExactlyInAnyOrderElementsOf(shadowedFirst);
      assertThat(shadow).allSatisfy(s -> {
        assertThat(s.getServingVersion()).isEqualTo(1);
        assertThat(s.getCandidateVersion()).isEqualTo(2);
        assertThat(s.getServingScore()).isEqualTo(scores.get(s.getTurnId()).getScore());
        assertThat(s.getServingAttributes()).isEqualTo(scores.get(s.getTurnId()).getAttributes());
        assertThat(s.getCandidateScore()).isNotEqualTo(s.getServingScore());
      });
      Set<String> flagged = p.readToEnd(p.config.topics().moderationEvents(), ModerationEvent.class, WAIT).stream()
          .map(r -> r.value().getTurnId()).collect(Collectors.toSet());
      assertThat(shadow).allSatisfy(s -> assertThat(s.getServingFlagged()).as(s.getTurnId())
          .isEqualTo(flagged.contains(s.getTurnId())));

      // Discard: a tombstone under the candidate key.
      weights.send(new ProducerRecord<>(weightsTopic, candidateKey, null)).get();
      await().atMost(WAIT).until(() -> metrics.candidateVersion() == -1 && scorer.currentCandidate().isEmpty());
      all.addAll(send(turns, turnsTopic, "after-discard", 4));
      readScores(p, all.size());
      assertThat(readShadow(p)).extracting(ShadowScore::getTurnId)
          .containsExactlyInAnyOrderElementsOf(shadowedFirst);

      // Promote: the candidate published again as serving version 3, and its candidate key cleared.
      weights.send(new ProducerRecord<>(weightsTopic, candidateKey, signed(3, "candidate"))).get();
      await().atMost(WAIT).until(() -> metrics.candidateVersion() == 3);
      List<String> shadowedSecond = send(turns, turnsTopic, "promoted", 3);
      all.addAll(shadowedSecond);
      readScores(p, all.size());
      weights.send(new ProducerRecord<>(weightsTopic, TestHeads.MODEL_NAME, signed(3, "promoted"))).get();
      weights.send(new ProducerRecord<>(weightsTopic, candidateKey, null)).get();
      await().atMost(WAIT).until(() -> scorer.currentWeights().orElseThrow().version() == 3
          && scorer.currentCandidate().isEmpty());
      List<String> served = send(turns, turnsTopic, "after-promotion", 3);
      all.addAll(served);
      Map<String, TurnScore> finalScores = readScores(p, all.size());
      assertThat(served).allSatisfy(id -> assertThat(finalScores.get(id).getWeightsVersion()).isEqualTo(3));

      List<ShadowScore> everything = readShadow(p);
      List<String> expected = new ArrayList<>(shadowedFirst);
      expected.addAll(shadowedSecond);
      assertThat(everything).extracting(ShadowScore::getTurnId).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(everything).filteredOn(s -> s.getCandidateVersion() == 3).extracting(ShadowScore::getTurnId)
          .containsExactlyInAnyOrderElementsOf(shadowedSecond);
      assertThat(metrics.shadowScores()).isEqualTo(expected.size());
      assertThat(finalScores).hasSize(all.size());
    }
  }

  private static List<String> send(KafkaProducer<String, ChatTurn> producer, String topic, String phase, int n)
      throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String conversation = phase + "-c" + (i % 2);
      String id = phase + "-t" + i;
      producer.send(new ProducerRecord<>(topic, conversation, Turns.assistant(conversation, id,
          "The innkeeper answers the " + phase + " question number " + i + " with a story.", null))).get();
      ids.add(id);
    }
    return ids;
  }

  /**
   * Waits for a score of every turn sent so far, then returns them by turn id (exactly one per turn). A shadow score
   * is written in the transaction of its turn's score, so from here on the shadow topic holds every one it will.
   */
  private static Map<String, TurnScore> readScores(Pipeline p, int expected) {
    await().atMost(WAIT).until(() -> p.readToEnd(p.config.topics().turnScores(), TurnScore.class, WAIT).size()
        >= expected);
    List<ConsumerRecord<String, TurnScore>> records = p.readToEnd(p.config.topics().turnScores(), TurnScore.class,
        WAIT);
    assertThat(records).hasSize(expected);
    return records.stream().map(ConsumerRecord::value)
        .collect(Collectors.toMap(TurnScore::getTurnId, Function.identity()));
  }

  /** Every committed shadow score so far. */
  private static List<ShadowScore> readShadow(Pipeline p) {
    return p.readToEnd(p.config.topics().shadowScores(), ShadowScore.class, WAIT).stream()
        .map(ConsumerRecord::value).toList();
  }
}
