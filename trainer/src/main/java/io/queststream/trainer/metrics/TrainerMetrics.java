package io.queststream.trainer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.trainer.feedback.DeadLetters;
import io.queststream.trainer.feedback.FeedbackMeters;
import io.queststream.trainer.feedback.RejectionCause;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The trainer's meters: feedback consumed and dead-lettered (by cause), training runs and their duration, the last
 * candidate's held-out accuracy, versions published and rejected, the version in force. Thread-safe: the consumer
 * thread and the training thread share one instance.
 */
public final class TrainerMetrics implements FeedbackMeters {

  /** Outcome tag of a training run. */
  public enum RunOutcome { PUBLISHED, REJECTED, FAILED }

  private final MeterRegistry registry;
  private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> dependenciesUp = new ConcurrentHashMap<>();
  private final Map<RejectionCause, Counter> deadLetters = new EnumMap<>(RejectionCause.class);
  private final Map<RunOutcome, Timer> runs = new EnumMap<>(RunOutcome.class);
  private final Counter published;
  private final Counter rejected;
  private final AtomicLong weightsVersion = new AtomicLong(-1);
  private final AtomicReference<Double> candidateAccuracy = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> currentAccuracy = new AtomicReference<>(Double.NaN);
  private final AtomicLong shadowCandidate = new AtomicLong(-1);
  private final AtomicLong shadowTurns = new AtomicLong();
  private final AtomicReference<Double> shadowRankCorrelation = new AtomicReference<>(Double.NaN);
  private final Map<String, Counter> shadowDecisions = new ConcurrentHashMap<>();

  public TrainerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (RejectionCause cause : RejectionCause.values()) {
      deadLetters.put(cause, Counter.builder("quest.trainer.feedback.dead.letters").tag("cause", cause.name())
          .description("Feedback records sent to the dead-letter topic").register(registry));
    }
    for (RunOutcome outcome : RunOutcome.values()) {
      runs.put(outcome, Timer.builder("quest.trainer.training.runs")
          .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
          .description("Training runs (train, evaluate, gate, publish) and their duration").register(registry));
    }
    published = Counter.builder("quest.trainer.versions.published").description("Weights versions published")
        .register(registry);
    rejected = Counter.builder("quest.trainer.versions.rejected")
        .description("Candidates the promotion gate rejected").register(registry);
    // Gauges hold their state strongly: the registry may outlive this object, and a collected one reads NaN.
    Gauge.builder("quest.trainer.weights.version", weightsVersion, AtomicLong::get).strongReference(true)
        .description("Latest committed weights version (-1: none)").register(registry);
    Gauge.builder("quest.trainer.candidate.pairwise.accuracy", candidateAccuracy, AtomicReference::get)
        .strongReference(true)
        .description("Held-out pairwise accuracy of the last candidate (NaN: none yet)").register(registry);
    Gauge.builder("quest.trainer.current.pairwise.accuracy", currentAccuracy, AtomicReference::get)
        .strongReference(true)
        .description("Held-out pairwise accuracy of the version in force on the same held-out set")
        .register(registry);
    Gauge.builder("quest.trainer.shadow.candidate.version", shadowCandidate, AtomicLong::get).strongReference(true)
        .description("Version of the candidate shadowed on live traffic (-1: none)").register(registry);
    Gauge.builder("quest.trainer.shadow.window.turns", shadowTurns, AtomicLong::get).strongReference(true)
        .description("Turns in the shadowed candidate's window at its last judgement").register(registry);
    Gauge.builder("quest.trainer.shadow.rank.correlation", shadowRankCorrelation, AtomicReference::get).strongReference(true)
        .description("Spearman correlation of candidate and serving preference scores at the last judgement")
        .register(registry);
  }

  /** A judgement of the shadowed candidate: its window's size and rank correlation. */
  public void shadowJudged(long candidateVersion, long turns, double rankCorrelation) {
    shadowCandidate.set(candidateVersion);
    shadowTurns.set(turns);
    shadowRankCorrelation.set(rankCorrelation);
  }

  /** The candidate was promoted or discarded. */
  public void shadowDecided(String decision) {
    shadowCandidate.set(-1);
    shadowDecisions.computeIfAbsent(decision, d -> Counter.builder("quest.trainer.shadow.decisions")
        .tag("decision", d).description("Shadowed candidates promoted or discarded").register(registry))
        .increment();
  }

  /** Meters on a private in-memory registry, for the one-shot commands and tests that export nothing. */
  public static TrainerMetrics standalone() {
    return new TrainerMetrics(new SimpleMeterRegistry());
  }

  /** Adds the JVM's memory, GC, thread, class-loading, CPU and uptime meters (the long-running process only). */
  public TrainerMetrics withJvmMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return this;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One failure of a dependency that made feedback wait; registers the dependency's up gauge on first use. */
  @Override
  public void dependencyFailed(String dependency) {
    dependencyUp(dependency).set(0);
    failures.computeIfAbsent(dependency, d -> Counter.builder("quest.trainer.transient.failures")
        .tag("dependency", d).description("Failures of a dependency: the feedback waited and was consumed again")
        .register(registry)).increment();
  }

  @Override
  public void dependencyRecovered(String dependency) {
    dependencyUp(dependency).set(1);
  }

  private AtomicLong dependencyUp(String dependency) {
    return dependenciesUp.computeIfAbsent(dependency, d -> {
      AtomicLong up = new AtomicLong(1);
      Gauge.builder("quest.trainer.dependency.up", up, AtomicLong::get).strongReference(true).tag("dependency", d)
          .description("1 while the dependency works, 0 while feedback waits for it").register(registry);
      return up;
    });
  }

  @Override
  public void feedbackConsumed(String topic) {
    consumed.computeIfAbsent(topic, t -> Counter.builder("quest.trainer.feedback.consumed").tag("topic", t)
        .description("Feedback records consumed from Kafka").register(registry)).increment();
  }

  /** Joined and waiting feedback, read when scraped. */
  public void watchJoiner(Supplier<Number> joined, Supplier<Number> pending) {
    Gauge.builder("quest.trainer.feedback.joined", joined).description("Feedback records joined into the training set")
        .register(registry);
    Gauge.builder("quest.trainer.feedback.pending", pending)
        .description("Feedback waiting for its turns' embeddings").register(registry);
  }

  @Override
  public DeadLetters counting(DeadLetters target) {
    return (source, cause, message) -> {
      deadLetters.get(cause).increment();
      target.reject(source, cause, message);
    };
  }

  public double deadLetters(RejectionCause cause) {
    return deadLetters.get(cause).count();
  }

  public void trainingRun(RunOutcome outcome, Duration took) {
    runs.get(outcome).record(took);
  }

  public void candidateEvaluated(Map<String, Double> candidate, Map<String, Double> current) {
    candidateAccuracy.set(candidate.getOrDefault("heldout.pairwise_accuracy", Double.NaN));
    currentAccuracy.set(current.getOrDefault("heldout.pairwise_accuracy", Double.NaN));
  }

  public void versionPublished(long version) {
    published.increment();
    weightsVersion.set(version);
  }

  public void candidateRejected() {
    rejected.increment();
  }

  /** The latest committed version found on the topic at start-up. */
  public void versionInForce(long version) {
    weightsVersion.set(version);
  }
}
