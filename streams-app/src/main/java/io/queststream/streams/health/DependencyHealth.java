package io.queststream.streams.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which dependencies are failing now, since when and why: the app's readiness reasons, the gauge
 * {@code quest_dependency_up{dependency}} (1 up, 0 failing) and the counter
 * {@code quest_transient_failures_total{dependency,cause}}. A dependency that keeps failing is logged as an error
 * once a minute, so that a persistent state (say, credentials the registry refuses) is never silent. Thread-safe.
 */
public final class DependencyHealth {

  /** Streams config key under which the instance is handed to the exception handlers Kafka instantiates. */
  public static final String CONFIG_KEY = "quest.health.instance";

  private static final Logger LOG = LoggerFactory.getLogger(DependencyHealth.class);
  private static final Duration REMIND_EVERY = Duration.ofMinutes(1);

  /** A dependency that is failing: since when, how often, and the last failure. */
  private record Problem(Instant since, long failures, TransientFailure last, Instant lastReminder) {}

  private final MeterRegistry registry;
  private final LongSupplier clockMs;
  private final Map<Dependency, Problem> problems = new ConcurrentHashMap<>();
  private final Map<Dependency, Map<String, Counter>> failures = new EnumMap<>(Dependency.class);

  public DependencyHealth(MeterRegistry registry) {
    this(registry, System::currentTimeMillis);
  }

  DependencyHealth(MeterRegistry registry, LongSupplier clockMs) {
    this.registry = registry;
    this.clockMs = clockMs;
    for (Dependency d : Dependency.values()) {
      failures.put(d, new ConcurrentHashMap<>());
      Gauge.builder("quest.dependency.up", () -> problems.containsKey(d) ? 0 : 1).tag("dependency", d.tag())
          .description("1 while the dependency works, 0 while records wait for it").register(registry);
    }
  }

  public static DependencyHealth fromConfig(Map<String, ?> configs) {
    return configs.get(CONFIG_KEY) instanceof DependencyHealth h ? h : null;
  }

  /** Records one failure of a dependency; the first of a run is logged as a warning. */
  public void failing(TransientFailure failure) {
    Instant now = Instant.ofEpochMilli(clockMs.getAsLong());
    failures.get(failure.dependency()).computeIfAbsent(failure.cause(), cause -> Counter
        .builder("quest.transient.failures").tag("dependency", failure.dependency().tag()).tag("cause", cause)
        .description("Failures of a dependency: the records waited and were read again").register(registry))
        .increment();
    problems.compute(failure.dependency(), (d, known) -> {
      if (known == null) {
        LOG.warn("{} is failing ({}); records wait for it and are read again once it is back: {}", d.tag(),
            failure.cause(), failure.description());
        return new Problem(now, 1, failure, now);
      }
      Instant reminded = known.lastReminder();
      if (Duration.between(reminded, now).compareTo(REMIND_EVERY) >= 0) {
        LOG.error("{} has been failing for {} s ({} failures, {}); processing waits: {}", d.tag(),
            Duration.between(known.since(), now).toSeconds(), known.failures() + 1, failure.cause(),
            failure.description());
        reminded = now;
      }
      return new Problem(known.since(), known.failures() + 1, failure, reminded);
    });
  }

  /** The dependency works again. */
  public void recovered(Dependency dependency) {
    Problem gone = problems.remove(dependency);
    if (gone != null) {
      LOG.info("{} works again after {} s and {} failures", dependency.tag(),
          Duration.between(gone.since(), Instant.ofEpochMilli(clockMs.getAsLong())).toSeconds(), gone.failures());
    }
  }

  /**
   * Records were committed, or none wait: the dependencies that have no signal of their own (brokers, the state
   * directory, the scorer) count as working again. The registry recovers when it answers.
   */
  public void progressed() {
    recovered(Dependency.KAFKA);
    recovered(Dependency.STATE_DIRECTORY);
    recovered(Dependency.SCORER);
  }

  public boolean isFailing(Dependency dependency) {
    return problems.containsKey(dependency);
  }

  /** One line per failing dependency, for /health/ready. */
  public List<String> reasons() {
    List<String> reasons = new ArrayList<>();
    for (Dependency d : Dependency.values()) {
      Problem p = problems.get(d);
      if (p != null) {
        reasons.add(d.tag() + " failing (" + p.last().cause() + ") since " + p.since() + ", " + p.failures()
            + " failures; records wait and are read again: " + p.last().description());
      }
    }
    return reasons;
  }
}
