package io.queststream.trainer.shadow;

import io.queststream.model.shadow.ShadowPair;
import io.queststream.model.shadow.ShadowWindow;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.serde.CommittedTopicReader;
import java.time.Duration;
import java.util.Map;

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
    RegistryAvroSerde<ShadowScore> values = new RegistryAvroSerde<>(ShadowScore.class);
    values.configure(serde, false);
    CommittedTopicReader.readToEnd(kafka, topic, values.deserializer(), timeout, r -> {
      ShadowScore s = r.value();
      if (s != null && s.getCandidateVersion() == candidate.getVersion()
          && s.getWeightsModel().equals(candidate.getModelName()) && s.getScoredAt().toEpochMilli() >= since) {
        window.add(ShadowPair.of(s));
      }
    });
    return window;
  }
}
