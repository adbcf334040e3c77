package io.queststream.streams.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.signing.TrustedKeys;
import io.queststream.schemas.RewardHeads;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.Settings;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.topics.SchemaRegistration;
import io.queststream.streams.topics.TopicProvisioner;
import io.queststream.streams.topics.Topics;
import io.queststream.streams.topology.ScoringTopology;
import io.queststream.streams.weights.DeadLetterWeightsRejections;
import io.queststream.streams.weights.InitialWeights;
import io.queststream.streams.weights.WeightsGate;
import io.queststream.streams.weights.WeightsRejection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running scoring service: warms the model up, embeds the weights canary, creates missing topics, installs
 * verified start-up weights, runs the topology and reports liveness and readiness. A stream thread that dies shuts
 * the client down (the process exits and its supervisor restarts it; exactly-once makes that safe) rather than
 * retrying a deterministic failure forever.
 */
public final class ScoringApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScoringApp.class);

  private final AppConfig config;
  private final RewardScorer scorer;
  private final ScoringMetrics metrics;
  private final TrustedKeys trustedKeys;
  private final CountDownLatch stopped = new CountDownLatch(1);
  /** Rejections before the dead-letter producer exists: only the start-up file's, which stop the start. */
  private final List<WeightsRejection> startUpRejections = new CopyOnWriteArrayList<>();
  private volatile boolean modelWarm;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private Producer<byte[], byte[]> rejectionProducer;
  private volatile DeadLetterWeightsRejections deadLetters;
  private WeightsGate gate;

  public ScoringApp(AppConfig config, RewardScorer scorer, ScoringMetrics metrics) {
    this.config = config;
    this.scorer = scorer;
    this.metrics = metrics;
    this.trustedKeys = config.weights().keys();
  }

  public synchronized void start() {
    warmUp();
    gate = new WeightsGate(config.weights(), trustedKeys, scorer, metrics, this::weightsRejected);
    gate.prepareCanary();
    if (trustedKeys.isEmpty()) {
      LOG.warn("No trusted weights signing key ({} / {}): every weights record will be rejected",
          Settings.WEIGHTS_TRUSTED_KEYS.key(), Settings.WEIGHTS_TRUSTED_KEYS_FILE.key());
    } else {
      LOG.info("Weights of model {} are installed when signed by key {}", config.weights().modelName(),
          String.join(" or ", trustedKeys.ids()));
    }
    config.weights().initialFile().ifPresent(this::installInitialWeights);
    if (config.createMissingTopics()) {
      try (Admin admin = Admin.create(config.clientProperties())) {
        TopicProvisioner.createMissing(admin, config);
      }
    }
    Map<String, Object> producerProps = new HashMap<>(config.clientProperties());
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    rejectionProducer = new KafkaProducer<>(producerProps);
    deadLetters = new DeadLetterWeightsRejections(rejectionProducer, config.topics().deadLetters());

    SchemaRegistration.registerOutputs(config.topics(), config.clientProperties());
    Topics topics = new Topics(config.topics(), config.clientProperties());
    var topology = new ScoringTopology(config, topics, scorer, metrics, gate).build();
    Map<String, Object> props = config.streamsProperties();
    props.put(ScoringMetrics.CONFIG_KEY, metrics);
    streams = new KafkaStreams(topology, new StreamsConfig(props));
    streams.setStateListener((now, before) -> {
      LOG.info("Kafka Streams state {} -> {}", before, now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("A stream thread died; shutting the client down", e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics.registry());
    streams.start();
  }

  /** One embedding call loads the backbone's lazy parts and compiles its kernels before traffic arrives. */
  private void warmUp() {
    long started = System.nanoTime();
    ScoringRequest probe = new ScoringRequest("warm-up", null,
        List.of(new ChatMessage("user", "Hello, who are you?")), "I am the innkeeper. Welcome, traveller.");
    try {
      scorer.embed(List.of(probe));
    } catch (ScoringException e) {
      throw new IllegalStateException("the model failed its warm-up: " + e.getMessage(), e);
    }
    modelWarm = true;
    LOG.info("Model {} warmed up in {} ms", scorer.backbone().id(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Start-up weights pass the same checks as the topic's; a file that fails them stops the start. */
  private void installInitialWeights(Path file) {
    RewardHeads heads = InitialWeights.read(file);
    if (gate.offer(config.weights().modelName(), heads, WeightsGate.Source.NONE) == WeightsGate.Outcome.REJECTED) {
      WeightsRejection r = startUpRejections.get(0);
      throw new IllegalStateException("start-up weights " + file + " rejected (" + r.reason() + "): " + r.message());
    }
  }

  private void weightsRejected(WeightsRejection r) {
    DeadLetterWeightsRejections sink = deadLetters;
    if (sink == null) {
      startUpRejections.add(r);
    } else {
      sink.rejected(r);
    }
  }

  public Readiness readiness() {
    List<String> reasons = new ArrayList<>();
    if (!modelWarm) {
      reasons.add("model not warmed up yet");
    }
    KafkaStreams.State state = streams == null ? KafkaStreams.State.CREATED : streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      reasons.add("Kafka Streams is " + state);
    }
    if (scorer.currentWeights().isEmpty()) {
      reasons.add("no reward weights installed yet: assistant turns are buffered until a verified record arrives on "
          + config.topics().rewardWeights()
          + (trustedKeys.isEmpty() ? " (no trusted signing key is configured, so none can)" : ""));
    }
    return new Readiness(reasons);
  }

  /** Live until Kafka Streams has failed or stopped. */
  public boolean live() {
    return streams == null || (streams.state() != KafkaStreams.State.ERROR
        && streams.state() != KafkaStreams.State.NOT_RUNNING);
  }

  public KafkaStreams.State state() {
    return streams == null ? KafkaStreams.State.CREATED : streams.state();
  }

  /** Blocks until Kafka Streams stops (closed, or failed). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public synchronized void close() {
    if (streams != null) {
      boolean clean = streams.close(config.shutdownTimeout());
      LOG.info("Kafka Streams closed {}", clean ? "cleanly" : "after the shutdown timeout");
      streamsMetrics.close();
      streams = null;
    }
    if (rejectionProducer != null) {
      rejectionProducer.close();
      rejectionProducer = null;
    }
    stopped.countDown();
  }
}
