package io.queststream.schemas.deadletters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest dead letter a cluster takes: the smaller of the producer's {@code max.request.size} and the
 * dead-letter topic's {@code max.message.bytes} (its own or the broker's, as the broker reports it).
 */
public final class DeadLetterLimit {

  /** Config key under which an app hands the resolved limit to its processors and exception handlers. */
  public static final String CONFIG_KEY = "quest.dead-letters.max-record-bytes";
  /** Kafka's default for both settings; used where a setting is not given or cannot be read. */
  public static final int KAFKA_DEFAULT = 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLimit.class);

  private DeadLetterLimit() {}

  /**
   * Asks the cluster for the dead-letter topic's limit. A topic that does not exist yet, or a principal not allowed
   * to describe it, gives Kafka's default, which every broker takes unless configured lower.
   */
  public static int resolve(Admin admin, String topic, Map<String, ?> producerConfig) {
    int request = maxRequestBytes(producerConfig);
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (entry != null && entry.value() != null) {
        int limit = Math.min(request, Integer.parseInt(entry.value()));
        LOG.info("Dead letters to {} are cut to fit {} bytes (max.message.bytes {}, max.request.size {})", topic,
            limit, entry.value(), request);
        return limit;
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("Cannot read max.message.bytes of {} ({}); dead letters are cut to fit Kafka's default of {} bytes",
          topic, e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), KAFKA_DEFAULT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Math.min(request, KAFKA_DEFAULT);
  }

  /** The limit handed over under {@link #CONFIG_KEY}, or Kafka's default when none was. */
  public static int fromConfig(Map<String, ?> configs) {
    Object v = configs.get(CONFIG_KEY);
    return v == null ? KAFKA_DEFAULT : Integer.parseInt(v.toString());
  }

  private static int maxRequestBytes(Map<String, ?> producerConfig) {
    Object v = producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return v == null ? KAFKA_DEFAULT : Integer.parseInt(v.toString());
  }
}
