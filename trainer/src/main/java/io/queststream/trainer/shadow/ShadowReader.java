package io.queststream.trainer.shadow;

import io.queststream.model.shadow.ShadowPair;
import io.queststream.model.shadow.ShadowWindow;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.serde.RegistryAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a candidate's shadow window from the shadow topic: every committed shadow score of its version scored since
 * it was created (a candidate discarded earlier under the same version number was scored before that), read from
 * the start of each partition to its end as it stands.
 */
public final class ShadowReader {

  private final String topic;
  private final Map<String, Object> kafka;
  private final Map<String, Object> serde;

  public ShadowReader(String topic, Map<String, Object> kafka, Map<String, Object> serde) {
    this.topic = topic;
    this.kafka = Map.copyOf(kafka);
    this.serde = Map.copyOf(serde);
  }

  public ShadowWindow window(RewardHeads candidate, Duration timeout) {
    ShadowWindow window = new ShadowWindow(candidate.getVersion());
    long since = candidate.getCreatedAt().toEpochMilli();
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    RegistryAvroSerde<ShadowScore> values = new RegistryAvroSerde<>(ShadowScore.class);
    values.configure(serde, false);
    try (KafkaConsumer<String, ShadowScore> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        values.deserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, timeout).stream()
          .map(pi -> new TopicPartition(topic, pi.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, ShadowScore> r : consumer.poll(Duration.ofMillis(200))) {
          ShadowScore s = r.value();
          if (s != null && s.getCandidateVersion() == candidate.getVersion()
              && s.getWeightsModel().equals(candidate.getModelName())
              && s.getScoredAt().toEpochMilli() >= since) {
            window.add(ShadowPair.of(s));
          }
        }
      }
      if (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
      }
    }
    return window;
  }
}
