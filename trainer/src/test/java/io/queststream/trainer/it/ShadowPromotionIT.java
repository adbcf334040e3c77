package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.shadow.ShadowCriteria;
import io.queststream.model.shadow.ShadowCriteria.Decision;
import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.shadow.ShadowJudge;
import io.queststream.trainer.shadow.ShadowReader;
import io.queststream.trainer.support.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's side of a shadow rollout on a real broker: a candidate waits while its window is short, is promoted
 * (served again as the same version, its candidate key tombstoned in the same transaction) when the window meets
 * every criterion, and a later candidate whose window breaks them is discarded with the reasons in the tombstone.
 */
@RealKafka
class ShadowPromotionIT {

  static KafkaBroker broker;

  private static final String MODEL = WeightsContract.MODEL_NAME;
  private static final ShadowCriteria CRITERIA = new ShadowCriteria(4, 0.8, 0.25, 0.5);

  @Test
  void promotesACandidateThatAgreesAndDiscardsOneThatDoesNotWithItsReasons(@TempDir Path dir) throws Exception {
    String weightsTopic = KafkaBroker.uniqueName("weights");
    String shadowTopic = KafkaBroker.uniqueName("shadow");
    Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    Map<String, Object> serde = Map.of("schema.registry.url", "mock://" + weightsTopic);
    VersionHistory history = new VersionHistory(dir);
    broker.admin().createTopics(List.of(new NewTopic(shadowTopic, 2, (short) 1))).all().get();
    try (KafkaWeightsStore store = new KafkaWeightsStore(new WeightsPublisher(weightsTopic, "t-" + weightsTopic,
        kafka, serde), MODEL, TestKeys.SIGNER);
        KafkaProducer<String, ShadowScore> shadow = shadowProducer(kafka, serde)) {
      ShadowJudge judge = new ShadowJudge(store, new ShadowReader(shadowTopic, kafka, serde), CRITERIA, history);
      store.publish(heads(1, null, Instant.now()));
      assertThat(judge.decide()).as("no candidate").isEmpty();

      RewardHeads second = store.publishCandidate(heads(2, 1L, Instant.now().minusSeconds(1)));
      assertThat(second.getStatus()).isEqualTo("candidate");
      // Three turns agree with the serving version: too few to judge.
      for (int i = 0; i < 3; i++) {
        send(shadow, shadowTopic, score("a" + i, 2, i, i + 0.5f, false, false));
      }
      ShadowJudge.Judgement waiting = judge.decide().orElseThrow();
      assertThat(waiting.verdict().decision()).isEqualTo(Decision.WAIT);
      assertThat(waiting.verdict().reasons()).containsExactly("3 of 4 turns shadowed");
      assertThat(store.candidate()).map(RewardHeads::getVersion).contains(2L);

      // A score of another candidate version does not count in this window.
      send(shadow, shadowTopic, score("other", 7, 0, 9, true, false));
      send(shadow, shadowTopic, score("a3", 2, 3, 3.5f, false, false));
      ShadowJudge.Judgement promoted = judge.decide().orElseThrow();
      assertThat(promoted.window().overall().turns()).isEqualTo(4);
      assertThat(promoted.verdict().decision()).isEqualTo(Decision.PROMOTE);
      assertThat(store.candidate()).isEmpty();
      assertThat(store.latest()).map(RewardHeads::getVersion).contains(2L);

      RewardHeads third = store.publishCandidate(heads(3, 2L, Instant.now().minusSeconds(1)));
      // The candidate reverses the ranking and would flag every turn the serving version passes.
      for (int i = 0; i < 4; i++) {
        send(shadow, shadowTopic, score("b" + i, third.getVersion(), i, 3 - i, false, true));
      }
      ShadowJudge.Judgement discarded = judge.decide().orElseThrow();
      assertThat(discarded.verdict().decision()).isEqualTo(Decision.DISCARD);
      assertThat(discarded.verdict().reasons()).containsExactly(
          "score rank correlation -1.0000 (min 0.8000)",
          "flip rate 1.0000: 4 of 4 moderation decisions (max 0.2500)");
      assertThat(store.candidate()).isEmpty();
      assertThat(store.latest()).map(RewardHeads::getVersion).contains(2L);
    }

    List<ConsumerRecord<String, RewardHeads>> topic = readWeights(weightsTopic, kafka, serde);
    String candidateKey = WeightsContract.candidateKey(MODEL);
    assertThat(topic).extracting(r -> r.key() + "=" + (r.value() == null ? "tombstone"
        : "v" + r.value().getVersion() + ":" + r.value().getStatus())).containsExactly(
            MODEL + "=v1:promoted", candidateKey + "=v2:candidate", MODEL + "=v2:promoted", candidateKey + "=tombstone",
            candidateKey + "=v3:candidate", candidateKey + "=tombstone");
    assertThat(topic.get(3).headers().lastHeader(WeightsPublisher.DECISION_HEADER).value())
        .isEqualTo("promoted".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<String, RewardHeads> discard = topic.get(5);
    assertThat(new String(discard.headers().lastHeader(WeightsPublisher.DECISION_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo("discarded");
    assertThat(new String(discard.headers().lastHeader(WeightsPublisher.VERSION_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo("3");
    assertThat(new String(discard.headers().lastHeader(WeightsPublisher.REASONS_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo("score rank correlation -1.0000 (min 0.8000)\n"
            + "flip rate 1.0000: 4 of 4 moderation decisions (max 0.2500)");
    assertThat(TestKeys.SIGNER.keyId()).isEqualTo(topic.get(2).value().getSignatureKeyId());
    assertThat(history.entries()).extracting(e -> e.version() + ":" + e.status())
        .containsExactly("2:promoted", "3:discarded");
  }

  private static ShadowScore score(String turn, long candidateVersion, float serving, float candidate,
      boolean servingFlagged, boolean candidateFlagged) {
    List<AttributeScore> s = List.of(new AttributeScore("creativity", 0.5f, 5f, 1f, 1f));
    List<AttributeScore> c = List.of(new AttributeScore("creativity", 0.52f, 5.2f, 1f, 1f));
    return ShadowScore.newBuilder().setTurnId(turn).setConversationId("c-" + turn).setCharacterId("innkeeper")
        .setPolicyModel("policy-a").setWeightsModel(MODEL).setServingVersion(candidateVersion - 1)
        .setCandidateVersion(candidateVersion).setServingScore(serving).setCandidateScore(candidate)
        .setServingAttributes(s).setCandidateAttributes(c).setServingFlagged(servingFlagged)
        .setCandidateFlagged(candidateFlagged).setScoredAt(Instant.now()).build();
  }

  private static void send(KafkaProducer<String, ShadowScore> producer, String topic, ShadowScore s)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, s.getConversationId(), s)).get();
  }

  private static KafkaProducer<String, ShadowScore> shadowProducer(Map<String, Object> kafka,
      Map<String, Object> serde) {
    RegistryAvroSerde<ShadowScore> values = new RegistryAvroSerde<>(ShadowScore.class);
    values.configure(serde, false);
    return new KafkaProducer<>(new HashMap<>(kafka), new StringSerializer(), values.serializer());
  }

  private static List<ConsumerRecord<String, RewardHeads>> readWeights(String topic, Map<String, Object> kafka,
      Map<String, Object> serde) {
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.putAll(WeightsContract.consumerLimits());
    RegistryAvroSerde<RewardHeads> values = new RegistryAvroSerde<>(RewardHeads.class);
    values.configure(serde, false);
    List<ConsumerRecord<String, RewardHeads>> out = new ArrayList<>();
    try (KafkaConsumer<String, RewardHeads> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        values.deserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static RewardHeads heads(long version, Long parent, Instant createdAt) {
    return RewardHeads.newBuilder().setModelName(MODEL).setVersion(version).setParentVersion(parent)
        .setStatus("promoted").setBackboneId("test-backbone").setEmbeddingDim(2).setPooling("mean")
        .setAttributeNames(List.of("creativity")).setRegression(Matrices.row(new float[] {0.5f, -0.5f}))
        .setGatingLayers(List.of()).setTransform(Matrices.row(new float[] {1f})).setCreatedAt(createdAt)
        .build();
  }
}
