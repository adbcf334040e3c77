package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.ModerationRules;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.deadletters.DeadLetterFit;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.RegistryAvroSerde;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

  @Test
  void recordsTooLargeForTheDeadLetterTopicAreDeadLetteredCutAndTheirPartitionGoesOn() throws Exception {
    // given chat turns that take 2 MiB records, and a dead-letter topic at the broker's default of 1 MiB
    Pipeline p = new Pipeline(broker, registry, Map.of("batch.max-size", "1"));
    String turnsTopic = p.config.topics().chatTurns();
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, turnsTopic);
    broker.admin().incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024)),
        AlterConfigOp.OpType.SET)))).all().get();
    int dlqLimit = Integer.parseInt(broker.admin().describeConfigs(List.of(new ConfigResource(
        ConfigResource.Type.TOPIC, p.config.topics().deadLetters()))).all().get().values().iterator().next()
        .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
    byte[] garbage = new byte[1_500_000];
    Arrays.fill(garbage, (byte) 'g');
    ChatTurn longTurn = Turns.user("c1", "t1", "y".repeat(1_500_000));
    RegistryAvroSerde<ChatTurn> serde = new RegistryAvroSerde<>(ChatTurn.class);
    serde.configure(p.config.clientProperties(), false);
    byte[] longTurnBytes = serde.serializer().serialize(turnsTopic, longTurn);
    Map<String, Object> large = new HashMap<>(p.config.clientProperties());
    large.putAll(WeightsContract.producerLimits());
    try (ScoringApp app = new ScoringApp(p.config, ObservedScorer.watching(SharedMiniLm.scorer()),
            ScoringMetrics.standalone());
        KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class);
        KafkaProducer<String, byte[]> raw = new KafkaProducer<>(large, new StringSerializer(),
            new ByteArraySerializer())) {
      weights.send(new ProducerRecord<>(p.config.topics().rewardWeights(), TestHeads.MODEL_NAME,
          SharedMiniLm.heads(1))).get();
      app.start();

      // when 1.5 MB that are not Avro and a turn of 1.5 million characters arrive, then a good exchange
      raw.send(new ProducerRecord<>(turnsTopic, "c1", garbage)).get();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", longTurn)).get();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.user("c1", "t2", "Hello?"))).get();
      turns.send(new ProducerRecord<>(turnsTopic, "c1", Turns.assistant("c1", "t3", "Welcome in.", "t2"))).get();

      // then exactly two dead letters, each cut to fit its topic with the original length, and the good turn scored
      List<ConsumerRecord<String, byte[]>> dead = p.readRaw(p.config.topics().deadLetters(), 2,
          Duration.ofSeconds(60), Duration.ofSeconds(3));
      assertThat(dead).extracting(d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON),
              d -> DeadLetterHeaders.text(d.headers(), DeadLetterFit.VALUE_CUT_FROM))
          .containsExactly(tuple("BAD_MAGIC_BYTE", "1500000"),
              tuple("OVERSIZED_TEXT", Integer.toString(longTurnBytes.length)));
      assertThat(dead.get(0).value()).isEqualTo(Arrays.copyOf(garbage, dlqLimit - DeadLetterFit.ROOM));
      assertThat(dead.get(1).value()).isEqualTo(Arrays.copyOf(longTurnBytes, dlqLimit - DeadLetterFit.ROOM));
      List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class, 1,
          Duration.ofSeconds(60), Duration.ofSeconds(2), true);
      assertThat(scores).extracting(r -> r.value().getTurnId()).containsExactly("t3");
    }
  }

  @Test
  void hostileModerationPoliciesBecomeDeadLettersAndThePolicyInForceJudgesTheCharactersTurns() throws Exception {
    // given a global consistency rule that never fires
    Pipeline p = new Pipeline(broker, registry, Map.of("batch.max-size", "1",
        "moderation.attribute.character-consistency.min", "-100"));
    ScoringMetrics metrics = ScoringMetrics.standalone();
    String policiesTopic = p.config.topics().moderationPolicies();
    try (ScoringApp app = new ScoringApp(p.config, ObservedScorer.watching(SharedMiniLm.scorer()), metrics);
        KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ModerationRules> policies = p.producer(ModerationRules.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class);
        KafkaProducer<String, byte[]> raw = p.rawProducer()) {
      weights.send(new ProducerRecord<>(p.config.topics().rewardWeights(), TestHeads.MODEL_NAME,
          SharedMiniLm.heads(1))).get();
      // and the innkeeper's policy, whose rule always fires, followed by three hostile records under her key
      policies.send(new ProducerRecord<>(policiesTopic, "character:innkeeper",
          innkeeperPolicy(Map.of("character-consistency", 100f)))).get();
      policies.send(new ProducerRecord<>(policiesTopic, "character:innkeeper",
          innkeeperPolicy(Map.of("character-consistency", Float.NaN)))).get();
      policies.send(new ProducerRecord<>(policiesTopic, "character:innkeeper",
          innkeeperPolicy(Map.of("sarcasm", 1f)))).get();
      raw.send(new ProducerRecord<>(policiesTopic, "character:innkeeper",
          "{\"character-consistency\": -100}".getBytes(StandardCharsets.UTF_8))).get();
      app.start();

      // when she replies
      turns.send(new ProducerRecord<>(p.config.topics().chatTurns(), "c-policy",
          Turns.user("c-policy", "u1", "Is there a room free?"))).get();
      turns.send(new ProducerRecord<>(p.config.topics().chatTurns(), "c-policy",
          Turns.assistant("c-policy", "a1", "One, under the eaves.", "u1"))).get();

      // then each hostile record is exactly one dead letter of kind policy with its reason and the original bytes
      List<ConsumerRecord<String, byte[]>> dead = p.readRaw(p.config.topics().deadLetters(), 3,
          Duration.ofSeconds(60), Duration.ofSeconds(3));
      assertThat(dead).extracting(d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.KIND),
              d -> DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.REASON), ConsumerRecord::key)
          .containsExactly(tuple("policy", "NON_FINITE_THRESHOLD", "character:innkeeper"),
              tuple("policy", "UNKNOWN_ATTRIBUTE", "character:innkeeper"),
              tuple("policy", "UNDECODABLE", "character:innkeeper"));
      assertThat(dead).allSatisfy(d ->
          assertThat(DeadLetterHeaders.text(d.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(policiesTopic));
      assertThat(new String(dead.get(2).value(), StandardCharsets.UTF_8)).contains("character-consistency");
      assertThat(metrics.deadLetters(DeadLetterKind.POLICY)).isEqualTo(3);

      // and her turn is judged by the policy that was in force before them, which the event names
      List<ConsumerRecord<String, ModerationEvent>> events = p.read(p.config.topics().moderationEvents(),
          ModerationEvent.class, 1, Duration.ofSeconds(60), Duration.ofSeconds(2), true);
      assertThat(events).singleElement().satisfies(e -> assertThat(e.value().getViolations())
          .extracting(RuleViolation::getRule, RuleViolation::getThreshold, RuleViolation::getPolicy)
          .containsExactly(tuple("attribute:Character Consistency", 100f, "character:innkeeper")));
    }
  }

  private static ModerationRules innkeeperPolicy(Map<String, Float> attributeMins) {
    return ModerationRules.newBuilder().setScope("character").setSubject("innkeeper")
        .setAttributeMins(attributeMins).setUpdatedAt(Instant.now()).build();
  }
}
