package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.PublisherFencedException;
import io.queststream.trainer.publish.VersionConflictException;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.support.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The weights topic under a stable transactional id on a real broker: a restarted trainer aborts the transaction its
 * dead incarnation left open, numbers its next version after the last committed one, and the old incarnation can no
 * longer publish.
 */
@RealKafka
class WeightsFencingIT {

  static KafkaBroker broker;

  private static final String MODEL = WeightsContract.MODEL_NAME;

  @Test
  void aRestartedTrainerAbortsTheDeadIncarnationsTransactionAndFencesIt() throws Exception {
    // given v1 committed by a trainer, and a later incarnation that died inside the transaction of v2
    String topic = KafkaBroker.uniqueName("weights");
    String id = "quest-trainer-" + topic + "-" + MODEL;
    Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    Map<String, Object> serde = Map.of("schema.registry.url", "mock://" + topic);
    WeightsPublisher firstPublisher = new WeightsPublisher(topic, id, kafka, serde);
    KafkaWeightsStore first = new KafkaWeightsStore(firstPublisher, MODEL, TestKeys.SIGNER);
    first.publish(heads(1, null));
    KafkaProducer<String, RewardHeads> dead = openTransaction(id, kafka, serde, topic, heads(2, 1L));

    // when the trainer restarts under the same id
    try (KafkaWeightsStore restarted = new KafkaWeightsStore(new WeightsPublisher(topic, id, kafka, serde), MODEL,
        TestKeys.SIGNER)) {

      // then it sees only committed v1 and publishes its own v2 after it
      assertThat(restarted.latest()).map(RewardHeads::getVersion).contains(1L);
      restarted.publish(heads(2, 1L));

      // and neither the old incarnation nor the dead one's producer can publish any more
      assertThatThrownBy(() -> first.publish(heads(3, 2L))).isInstanceOf(VersionConflictException.class);
      assertThatThrownBy(() -> firstPublisher.publish(heads(3, 2L)))
          .isInstanceOf(PublisherFencedException.class).hasMessageContaining(id);
      assertThatThrownBy(dead::commitTransaction).isInstanceOf(RuntimeException.class);

      // and a version number that is not the next one is refused
      assertThatThrownBy(() -> restarted.publish(heads(5, 2L))).isInstanceOf(VersionConflictException.class)
          .hasMessageContaining("must be v3");
    } finally {
      dead.close(Duration.ZERO);
      first.close();
    }

    // then read_committed readers see v1 and v2 once each, and nothing of the aborted or fenced transactions
    try (WeightsPublisher reader = new WeightsPublisher(topic, id, kafka, serde)) {
      List<RewardHeads> versions = reader.readAll(MODEL, Duration.ofSeconds(10));
      assertThat(versions).extracting(RewardHeads::getVersion).containsExactly(1L, 2L);
      assertThat(versions.get(1).getStatus()).isEqualTo("promoted");
    }
  }

  @Test
  void aClaimedPublisherWhoseIdIsTakenOverIsFencedAtItsNextPublish() {
    // given a publisher that holds the id with no transaction open, as a trainer between training runs does
    String topic = KafkaBroker.uniqueName("weights");
    String id = "quest-trainer-" + topic + "-" + MODEL;
    Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
    Map<String, Object> serde = Map.of("schema.registry.url", "mock://" + topic);
    try (WeightsPublisher running = new WeightsPublisher(topic, id, kafka, serde);
        WeightsPublisher takeover = new WeightsPublisher(topic, id, kafka, serde)) {
      running.ensureTopic();
      running.publish(heads(1, null));

      // when a one-shot command claims the same id
      takeover.claim();

      // then the running publisher's next publish ends in the fencing error, not in a retryable failure
      assertThatThrownBy(() -> running.publish(heads(2, 1L))).isInstanceOf(PublisherFencedException.class)
          .hasMessageContaining(id);
      assertThatThrownBy(running::claim).isInstanceOf(PublisherFencedException.class);
      assertThat(running.readAll(MODEL, Duration.ofSeconds(10))).extracting(RewardHeads::getVersion)
          .containsExactly(1L);
    }
  }

  private static KafkaProducer<String, RewardHeads> openTransaction(String id, Map<String, Object> kafka,
      Map<String, Object> serde, String topic, RewardHeads heads) throws Exception {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    RegistryAvroSerde<RewardHeads> values = new RegistryAvroSerde<>(RewardHeads.class);
    values.configure(serde, false);
    KafkaProducer<String, RewardHeads> producer = new KafkaProducer<>(p, new StringSerializer(), values.serializer());
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(topic, MODEL, heads)).get();
    return producer;
  }

  private static RewardHeads heads(long version, Long parent) {
    return RewardHeads.newBuilder().setModelName(MODEL).setVersion(version).setParentVersion(parent)
        .setStatus("promoted").setBackboneId("test-backbone").setEmbeddingDim(2).setPooling("mean")
        .setAttributeNames(List.of("creativity")).setRegression(Matrices.row(new float[] {0.5f, -0.5f}))
        .setGatingLayers(List.of()).setTransform(Matrices.row(new float[] {1f})).setCreatedAt(Instant.now())
        .build();
  }
}
