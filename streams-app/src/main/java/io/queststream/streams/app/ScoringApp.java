package io.queststream.streams.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.batching.ModelCallWatchdog;
import io.queststream.model.signing.TrustedKeys;
import io.queststream.schemas.RewardHeads;
import io.queststream.serde.registry.RegistryClientConfig;
import io.queststream.serde.registry.SchemaRegistryClient;
import io.queststream.serde.registry.SchemaRegistryClients;
import io.queststream.serde.registry.SchemaRegistryException;
import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.streams.analytics.AnalyticsApp;
import io.queststream.streams.batching.BatchingLimits;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.Settings;
import io.queststream.streams.health.Dependency;
import io.queststream.streams.health.DependencyHealth;
import io.queststream.streams.health.Failures;
import io.queststream.streams.health.GracefulClose;
import io.queststream.streams.health.ProcessingProgress;
import io.queststream.streams.health.RecoveryBackoff;
import io.queststream.streams.health.RegistryHealth;
import io.queststream.streams.health.RestoreTracker;
import io.queststream.streams.health.StallDetector;
import io.queststream.streams.health.StateDirectoryProbe;
import io.queststream.streams.health.StreamThreadRecovery;
import io.queststream.streams.health.TransientFailure;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.moderation.DeadLetterPolicyRejections;
import io.queststream.streams.moderation.ModerationPolicies;
import io.queststream.streams.topics.SchemaRegistration;
import io.queststream.streams.topics.TopicProvisioner;
import io.queststream.streams.topics.Topics;
import io.queststream.streams.topology.ScoringTopology;
import io.queststream.streams.weights.DeadLetterWeightsRejections;
import io.queststream.streams.weights.InitialWeights;
import io.queststream.streams.weights.WeightsGate;
import io.queststream.streams.weights.WeightsRejection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running scoring service: warms the model up, embeds the weights canary, creates missing topics, installs
 * verified start-up weights, runs the topology, starts the live analytics next to it (unless disabled) and reports liveness and readiness.
 *
 * <p>A failing dependency (schema registry, brokers, a full state directory; see
 * {@link io.queststream.streams.health.Failures}) never costs a record: the record waits, the app reports not-ready
 * with the reason, and processing resumes by itself once the dependency is back (docs/reliability.md explains the
 * mechanism). A stream thread that dies for any other reason shuts its client down, and either client stopping stops
 * the service (the process exits and its
 * supervisor restarts it; exactly-once makes that safe) rather than retrying a deterministic failure forever.
 */
public final class ScoringApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScoringApp.class);

  private final AppConfig config;
  private final RewardScorer scorer;
  private final ScoringMetrics metrics;
  private final DependencyHealth health;
  private final RegistryHealth registryHealth;
  private final RestoreTracker restores = new RestoreTracker();
  private final StallDetector stalls;
  private final ProcessingProgress progress;
  private final TrustedKeys trustedKeys;
  private final List<WeightsRejection> startUpRejections = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean modelWarm;
  private final ModelCallWatchdog watchdog;
  /** Why the app stopped itself because a model call hung; null while none has. */
  private volatile String hung;
  private volatile boolean outputSchemasRegistered;
  private volatile KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private Producer<byte[], byte[]> rejectionProducer;
  private ScheduledExecutorService sampler;
  private AnalyticsApp analytics;
  private volatile DeadLetterWeightsRejections deadLetters;
  private WeightsGate gate;
  private final BatchingLimits batchingLimits;
  private ModerationPolicies policies;
  private DeadLetterPolicyRejections policyRejections;

  public ScoringApp(AppConfig config, RewardScorer scorer, ScoringMetrics metrics) {
    this.config = config;
    this.scorer = scorer;
    this.metrics = metrics;
    this.batchingLimits = new BatchingLimits(config.batching(), metrics.registry());
    this.health = new DependencyHealth(metrics.registry());
    this.registryHealth = new RegistryHealth(health);
    this.stalls = new StallDetector(config.recovery().stallTimeout(), System::currentTimeMillis);
    this.watchdog = new ModelCallWatchdog(config.recovery().modelCallDeadline(),
        Settings.HEALTH_MODEL_CALL_DEADLINE_MS.key() + " " + config.recovery().modelCallDeadline().toMillis(),
        scorer::longestRunningCall);
    Gauge.builder("quest.model.call.longest", scorer,
            s -> s.longestRunningCall().map(d -> d.toNanos() / 1e9).orElse(0.0))
        .description("How long the oldest model call now running has run; 0 when none runs")
        .baseUnit("seconds").register(metrics.registry());
    this.progress = new ProcessingProgress(stalls, health, metrics.registry());
    this.trustedKeys = config.weights().keys();
  }

  public AppConfig config() {
    return config;
  }

  /** The micro-batching limits in force, which the admin endpoint may change while the app runs. */
  public BatchingLimits batchingLimits() {
    return batchingLimits;
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
    Map<String, Object> producerProps = new HashMap<>(config.clientProperties());
    producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.producerMaxRequestBytes());
    int deadLetterLimit;
    try (Admin admin = Admin.create(config.clientProperties())) {
      if (config.createMissingTopics()) {
        TopicProvisioner.createMissing(admin, config);
      }
      deadLetterLimit = DeadLetterLimit.resolve(admin, config.topics().deadLetters(), producerProps);
    }
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    rejectionProducer = new KafkaProducer<>(producerProps);
    deadLetters = new DeadLetterWeightsRejections(rejectionProducer, config.topics().deadLetters(),
        deadLetterLimit);
    policies = new ModerationPolicies(config.moderation());
    policyRejections = new DeadLetterPolicyRejections(rejectionProducer, config.topics().deadLetters(), metrics,
        deadLetterLimit);

    // A start during a registry outage waits for the registry (not ready, with the reason) instead of failing.
    SchemaRegistration.registerOutputs(config.topics(), serdeConfig(true));
    outputSchemasRegistered = true;
    Map<String, Object> props = config.streamsProperties();
    props.put(ScoringMetrics.CONFIG_KEY, metrics);
    props.put(DependencyHealth.CONFIG_KEY, health);
    props.put(DeadLetterLimit.CONFIG_KEY, deadLetterLimit);
    StreamThreadRecovery recovery = new StreamThreadRecovery(health, probes(props),
        new RecoveryBackoff(config.recovery().backoffInitial(), config.recovery().backoffMax(),
            System::currentTimeMillis),
        wait -> !stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS), System::currentTimeMillis);
    startStreams(props, recovery);
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics.registry());
    sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "processing-progress");
      t.setDaemon(true);
      return t;
    });
    sampler.scheduleAtFixedRate(this::sampleProgress, 1, 1, TimeUnit.SECONDS);
    sampler.scheduleAtFixedRate(this::watchModelCalls, 1, 1, TimeUnit.SECONDS);
    if (config.analytics().enabled()) {
      analytics = new AnalyticsApp(config, metrics, serdeConfig(false), serdeConfig(true), recovery,
          stopped::countDown, deadLetterLimit);
      analytics.start();
    }
  }

  /**
   * Starts Kafka Streams. It opens the stores already on disk before its threads run, so a full state directory
   * can fail the start itself; then this waits for the disk like a failed stream thread would (not ready, with the
   * reason) and starts a new client, instead of letting the process exit.
   */
  private void startStreams(Map<String, Object> props, StreamThreadRecovery recovery) {
    while (true) {
      Topics topics = new Topics(config.topics(), serdeConfig(false), serdeConfig(true));
      var topology = new ScoringTopology(config, topics, scorer, metrics, gate, batchingLimits, policies,
          policyRejections).build();
      KafkaStreams candidate = null;
      try {
        candidate = new KafkaStreams(topology, new StreamsConfig(props));
        KafkaStreams self = candidate;
        // Only the client in service ends the app; one closed after a failed start does not.
        candidate.setStateListener((now, before) -> {
          LOG.info("Kafka Streams state {} -> {}", before, now);
          if (streams == self && (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR)) {
            stopped.countDown();
          }
        });
        candidate.setUncaughtExceptionHandler(recovery);
        candidate.setGlobalStateRestoreListener(restores);
        streams = candidate;
        candidate.start();
        return;
      } catch (RuntimeException e) {
        Optional<TransientFailure> cause = Failures.transientCause(e);
        if (cause.isEmpty()) {
          throw e;
        }
        LOG.error("Kafka Streams could not start because {} is failing", cause.get().dependency().tag(), e);
        streams = null;
        if (candidate != null) {
          candidate.close(Duration.ZERO);
        }
        if (!recovery.awaitRecovery(cause.get())) {
          throw e;
        }
      }
    }
  }

  /**
   * Client settings of the value serdes, with the app's registry health. Stream threads retry a registry call
   * briefly ({@link AppConfig#DEFAULT_REGISTRY_MAX_BLOCK_MS}) and then give the record back; the global thread and
   * start-up wait until the registry answers, since neither can give a record back.
   */
  private Map<String, Object> serdeConfig(boolean untilAnswered) {
    Map<String, Object> c = new HashMap<>(config.clientProperties());
    c.put(RegistryClientConfig.AVAILABILITY, registryHealth);
    if (untilAnswered) {
      c.put(RegistryClientConfig.RETRY_MAX_BLOCK_MS, "-1");
    }
    return c;
  }

  /** Checks that a failing dependency works again, so a waiting stream thread is replaced without delay. */
  private Map<Dependency, BooleanSupplier> probes(Map<String, Object> streamsProps) {
    Map<String, Object> once = new HashMap<>(config.clientProperties());
    once.put(RegistryClientConfig.RETRY_MAX_BLOCK_MS, "0");
    SchemaRegistryClient registry = SchemaRegistryClients.create(once);
    Path stateDir = Path.of(new StreamsConfig(streamsProps).getString(StreamsConfig.STATE_DIR_CONFIG));
    return Map.of(
        Dependency.SCHEMA_REGISTRY, () -> {
          try {
            registry.subjects();
            return true;
          } catch (SchemaRegistryException e) {
            return false;
          }
        },
        Dependency.STATE_DIRECTORY, new StateDirectoryProbe(stateDir));
  }

  /**
   * A hung model call ends the service, as a failed stream thread does: the process exits with status 1 and its
   * supervisor restarts it, and the restarted app submits the hung call's turns again (docs/reliability.md).
   */
  private void watchModelCalls() {
    if (hung != null) {
      return;
    }
    watchdog.hung().ifPresent(reason -> {
      hung = reason;
      LOG.error("Stopping: {}. Its turns stay buffered and are scored again after the restart", reason);
      stopped.countDown();
    });
  }

  private void sampleProgress() {
    KafkaStreams running = streams;
    if (running != null && running.state().isRunningOrRebalancing()) {
      try {
        progress.sample(running.metadataForLocalThreads());
      } catch (RuntimeException e) {
        LOG.debug("Could not sample the tasks' progress", e);
      }
    }
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
    if (modelWarm && !outputSchemasRegistered) {
      reasons.add("waiting for the schema registry to register the output schemas");
    }
    KafkaStreams.State state = state();
    if (state != KafkaStreams.State.RUNNING) {
      reasons.add("Kafka Streams is " + state);
    }
    restores.reason().ifPresent(reasons::add);
    reasons.addAll(health.reasons());
    stalls.stall().ifPresent(reasons::add);
    if (hung != null) {
      reasons.add(hung);
    }
    if (analytics != null && analytics.state() != KafkaStreams.State.RUNNING) {
      reasons.add("analytics Kafka Streams is " + analytics.state());
    }
    if (scorer.currentWeights().isEmpty()) {
      reasons.add("no reward weights installed yet: assistant turns are buffered until a verified record arrives on "
          + config.topics().rewardWeights()
          + (trustedKeys.isEmpty() ? " (no trusted signing key is configured, so none can)" : ""));
    }
    return new Readiness(reasons);
  }

  /** Live until Kafka Streams (scoring or analytics) has failed or stopped, or a model call has hung. */
  public boolean live() {
    return hung == null && running(streams == null ? KafkaStreams.State.CREATED : streams.state())
        && (analytics == null || running(analytics.state()));
  }

  /** True when scoring or analytics ended in Kafka Streams' error state, or a model call hung. */
  public boolean failed() {
    return hung != null || state() == KafkaStreams.State.ERROR
        || (analytics != null && analytics.state() == KafkaStreams.State.ERROR);
  }

  private static boolean running(KafkaStreams.State state) {
    return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
  }

  public KafkaStreams.State state() {
    KafkaStreams s = streams;
    return s == null ? KafkaStreams.State.CREATED : s.state();
  }

  /** Blocks until Kafka Streams stops (closed, or failed). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Ends every wait for a dependency first (a start-up waiting for the registry included), then stops. */
  @Override
  public void close() {
    stopping.countDown();
    registryHealth.stop();
    synchronized (this) {
      if (sampler != null) {
        sampler.shutdownNow();
        sampler = null;
      }
      if (analytics != null) {
        analytics.close();
        analytics = null;
      }
      if (streams != null) {
        boolean clean = streams.close(GracefulClose.options(config.shutdownTimeout()));
        LOG.info("Kafka Streams closed {}", clean ? "cleanly" : "after the shutdown timeout");
        streamsMetrics.close();
        streams = null;
      }
      if (rejectionProducer != null) {
        rejectionProducer.close();
        rejectionProducer = null;
      }
    }
    stopped.countDown();
  }
}
