package io.queststream.schemas.weights;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What the trainer, the scoring app and every tool agree on about weights records (RewardHeads): the model name,
 * the attributes in order, and how large a record may be on the weights topic.
 */
public final class WeightsContract {

  /** The model whose weights versions the apps publish and install by default (the weights topic's key). */
  public static final String MODEL_NAME = "quest-rm";

  /** The QUEST attributes, in the order of the heads' rows, as rating records and weights records name them. */
  public static final List<String> QUEST_ATTRIBUTES = List.of("Contextual Alignment", "Character Consistency",
      "Descriptive Depth", "Role-Specific Knowledge", "Engagement and Collaboration",
      "Creativity and Emotional Nuance");

  /**
   * Largest weights record: heads with ArmoRM's full gating network (3 hidden layers of 1024) on a 4096-d backbone
   * are about 25 MB. The weights topic, the broker, and every producer and consumer of the topic use this one limit,
   * so whichever side creates the topic, a record one side can write the other can read.
   */
  public static final int MAX_RECORD_BYTES = 32 * 1024 * 1024;

  /** The status of a record that serves from the moment it is installed (a trained version that passed its gates). */
  public static final String STATUS_PROMOTED = "promoted";

  /**
   * The status of a candidate version: scored alongside the serving version on live traffic, deciding nothing, until
   * it is promoted (published again as a serving version) or discarded (docs/shadow.md).
   */
  public static final String STATUS_CANDIDATE = "candidate";

  private static final String CANDIDATE_KEY_PREFIX = "candidate:";

  private WeightsContract() {}

  /**
   * The weights topic's key for a model's candidate version: apart from the serving key, so compaction keeps both,
   * and a tombstone under it withdraws the candidate without touching the serving version.
   */
  public static String candidateKey(String modelName) {
    return CANDIDATE_KEY_PREFIX + modelName;
  }

  /** True when the key is a candidate key (of any model). */
  public static boolean isCandidateKey(String key) {
    return key != null && key.startsWith(CANDIDATE_KEY_PREFIX);
  }

  /** Config of the weights topic: compacted, records up to {@link #MAX_RECORD_BYTES}. */
  public static Map<String, String> topicConfig() {
    return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES));
  }

  /** Producer settings that let one weights record through. */
  public static Map<String, Object> producerLimits() {
    return Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_RECORD_BYTES);
  }

  /** Consumer settings that fetch one weights record whole. */
  public static Map<String, Object> consumerLimits() {
    return Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_RECORD_BYTES);
  }
}
