package io.queststream.schemas.deadletters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.NetworkException;
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
  private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  /** Reads a topic's {@code max.message.bytes}; empty when the cluster has no answer for the topic. */
  @FunctionalInterface
  interface TopicLimitLookup {
    OptionalInt maxMessageBytes() throws UnreachableClusterException;
  }

  /** The cluster did not answer in time: a dependency down, not an answer. */
  static final class UnreachableClusterException extends Exception {
    UnreachableClusterException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** How the wait between two lookups is spent; a test passes one that does not sleep. */
  @FunctionalInterface
  interface Pause {
    void sleep(Duration d) throws InterruptedException;
  }

  private DeadLetterLimit() {}

  /**
   * Asks the cluster for the dead-letter topic's limit, waiting for a cluster that does not answer (brokers down
   * or unreachable) rather than guessing: a guess above the topic's real limit would have the broker refuse every
   * dead letter. A topic that does not exist yet, or a principal not allowed to describe it, gives Kafka's default,
   * which every broker takes unless configured lower. An interrupt stops the wait with Kafka's default.
   */
  public static int resolve(Admin admin, String topic, Map<String, ?> producerConfig) {
    return resolve(() -> describe(admin, topic), topic, producerConfig, d -> Thread.sleep(d.toMillis()));
  }

  static int resolve(TopicLimitLookup lookup, String topic, Map<String, ?> producerConfig, Pause pause) {
    int request = maxRequestBytes(producerConfig);
    Duration wait = FIRST_WAIT;
    while (true) {
      try {
        OptionalInt topicLimit = lookup.maxMessageBytes();
        if (topicLimit.isPresent()) {
          int limit = Math.min(request, topicLimit.getAsInt());
          LOG.info("Dead letters to {} are cut to fit {} bytes (max.message.bytes {}, max.request.size {})", topic,
              limit, topicLimit.getAsInt(), request);
          return limit;
        }
        return Math.min(request, KAFKA_DEFAULT);
      } catch (UnreachableClusterException e) {
        LOG.warn("Cannot reach the cluster to read max.message.bytes of {} ({}); asking again in {} s", topic,
            e.getMessage(), wait.toSeconds());
      }
      try {
        pause.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Math.min(request, KAFKA_DEFAULT);
      }
      Duration doubled = wait.multipliedBy(2);
      wait = doubled.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : doubled;
    }
  }

  private static OptionalInt describe(Admin admin, String topic) throws UnreachableClusterException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      return entry == null || entry.value() == null ? OptionalInt.empty()
          : OptionalInt.of(Integer.parseInt(entry.value()));
    } catch (TimeoutException e) {
      throw new UnreachableClusterException("no answer in 30 s", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
          || e.getCause() instanceof NetworkException) {
        throw new UnreachableClusterException(e.getCause().getMessage(), e.getCause());
      }
      LOG.warn("Cannot read max.message.bytes of {} ({}); dead letters are cut to fit Kafka's default of {} bytes",
          topic, e.getCause().getMessage(), KAFKA_DEFAULT);
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    } catch (RuntimeException e) {
      LOG.warn("Cannot read max.message.bytes of {} ({}); dead letters are cut to fit Kafka's default of {} bytes",
          topic, e.getMessage(), KAFKA_DEFAULT);
      return OptionalInt.empty();
    }
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
