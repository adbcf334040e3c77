package io.queststream.streams.analytics;

import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.queststream.streams.health.GracefulClose;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.topics.SchemaRegistration;
import io.queststream.streams.topics.Topics;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live analytics as a second Kafka Streams application in the scoring app's JVM, with application id
 * {@code <scoring application id>-analytics}. Its own consumer group, state, transactions and rebalances keep it from
 * ever holding up scoring: it reads only topics the scoring app has committed, its lag is its own, and a failure in
 * it does not take the scoring threads' tasks down with it. The derived id keeps its internal topics and
 * transactional ids under the scoring app's prefix, so the same prefixed ACLs cover both.
 */
public final class AnalyticsApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsApp.class);
  static final String APPLICATION_ID_SUFFIX = "-analytics";
  private static final long ANALYTICS_POLL_MS = 100;

  private final AppConfig config;
  private final ScoringMetrics metrics;
  private final Map<String, ?> serdeConfig;
  private final Map<String, ?> startSerdeConfig;
  private final StreamsUncaughtExceptionHandler threadFailures;
  private final Runnable onStopped;
  /** The largest dead letter the dead-letter topic takes ({@link DeadLetterLimit}). */
  private final int deadLetterLimit;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;

  /**
   * @param serdeConfig the value serdes' client settings on the stream threads
   * @param startSerdeConfig the same for registering the output schemas at start, waiting while the registry is out
   * @param threadFailures what a dying stream thread does: the scoring app's, which waits for a failing dependency
   *     and replaces the thread
   * @param onStopped called once Kafka Streams stops or fails, so the process can stop with it (exactly-once makes
   *     the restart safe)
   */
  public AnalyticsApp(AppConfig config, ScoringMetrics metrics, Map<String, ?> serdeConfig,
      Map<String, ?> startSerdeConfig, StreamsUncaughtExceptionHandler threadFailures, Runnable onStopped,
      int deadLetterLimit) {
    this.config = config;
    this.deadLetterLimit = deadLetterLimit;
    this.metrics = metrics;
    this.serdeConfig = Map.copyOf(serdeConfig);
    this.startSerdeConfig = Map.copyOf(startSerdeConfig);
    this.threadFailures = threadFailures;
    this.onStopped = onStopped;
  }

  public static String applicationId(AppConfig config) {
    return config.streamsProperties().get(StreamsConfig.APPLICATION_ID_CONFIG) + APPLICATION_ID_SUFFIX;
  }

  /**
   * The scoring app's Kafka Streams properties with the analytics' own application id, stream threads and commit
   * interval. Scoring polls every 10 ms for its max-wait flushes; the analytics' punctuators are seconds to hours
   * apart, and a shorter poll only spins the thread over tasks that wait for their other inputs.
   */
  static Map<String, Object> streamsProperties(AppConfig config) {
    Map<String, Object> props = config.streamsProperties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(config));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.analytics().streamThreads());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.analytics().commitInterval().toMillis());
    props.put(StreamsConfig.POLL_MS_CONFIG, ANALYTICS_POLL_MS);
    return props;
  }

  public synchronized void start() {
    SchemaRegistration.registerAnalyticsOutputs(config.topics(), startSerdeConfig);
    Topics topics = new Topics(config.topics(), serdeConfig);
    var topology = new AnalyticsTopology(config.analytics(), topics, new AnalyticsMetrics(metrics.registry()),
        metrics).build();
    Map<String, Object> props = streamsProperties(config);
    props.put(ScoringMetrics.CONFIG_KEY, metrics);
    props.put(DeadLetterLimit.CONFIG_KEY, deadLetterLimit);
    streams = new KafkaStreams(topology, new StreamsConfig(props));
    streams.setStateListener((now, before) -> {
      LOG.info("Analytics Kafka Streams state {} -> {}", before, now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        onStopped.run();
      }
    });
    streams.setUncaughtExceptionHandler(threadFailures);
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics.registry());
    streams.start();
  }

  public KafkaStreams.State state() {
    return streams == null ? KafkaStreams.State.CREATED : streams.state();
  }

  @Override
  public synchronized void close() {
    if (streams != null) {
      boolean clean = streams.close(GracefulClose.options(config.shutdownTimeout()));
      LOG.info("Analytics Kafka Streams closed {}", clean ? "cleanly" : "after the shutdown timeout");
      streamsMetrics.close();
      streams = null;
    }
  }
}
