package io.queststream.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.WeightsVersion;
import io.queststream.streams.errors.DeadLetterCounter;
import io.queststream.streams.errors.DeadLetterKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The app's own meters. Rates (scores/s, moderation rate) are derived by Prometheus from the counters.
 * Thread-safe: every stream thread and the global thread share one instance.
 */
public final class ScoringMetrics implements DeadLetterCounter {

  private final MeterRegistry registry;
  private final DistributionSummary batchSize;
  private final Timer queueWait;
  private final Timer modelTime;
  private final Timer backpressureWait;
  private final Counter handOversRefused;
  private final Counter scores;
  private final Counter moderationEvents;
  private final Counter charactersMissing;
  private final Counter parentsMissing;
  private final Map<InvalidWeightsException.Reason, Counter> weightsRejected =
      new EnumMap<>(InvalidWeightsException.Reason.class);
  private final Counter conversationsExpired;
  private final Counter duplicateTurns;
  private final Counter shadowScores;
  private final Counter shadowFlips;
  private final Counter candidatesInstalled;
  private final Counter candidatesRejected;
  private final Counter candidatesWithdrawn;
  private final AtomicLong candidateVersion = new AtomicLong(-1);
  private final Map<DeadLetterKind, Counter> deadLetters = new EnumMap<>(DeadLetterKind.class);
  private final AtomicLong weightsVersion = new AtomicLong(-1);
  private final AtomicLong pendingTurns = new AtomicLong();

  public ScoringMetrics(MeterRegistry registry) {
    this.registry = registry;
    batchSize = DistributionSummary.builder("quest.batch.size")
        .description("Assistant turns handed to the model together").publishPercentileHistogram().register(registry);
    queueWait = Timer.builder("quest.batch.queue.wait")
        .description("Time a turn waited in the micro-batch buffer before it was handed to the model")
        .publishPercentileHistogram().register(registry);
    modelTime = Timer.builder("quest.model.time")
        .description("Time from handing a micro-batch to the model until its last result was collected")
        .publishPercentileHistogram().register(registry);
    backpressureWait = Timer.builder("quest.batch.backpressure.wait")
        .description("Time a stream thread waited for results before taking more input").register(registry);
    handOversRefused = Counter.builder("quest.batch.handovers.refused")
        .description("Times the model refused turns (queue full, closing); they waited and were handed over again")
        .register(registry);
    scores = Counter.builder("quest.scores").description("Assistant turns scored").register(registry);
    moderationEvents = Counter.builder("quest.moderation.events").description("Turns that broke a moderation rule")
        .register(registry);
    charactersMissing = Counter.builder("quest.characters.missing")
        .description("Turns scored without a character card").register(registry);
    parentsMissing = Counter.builder("quest.history.parents.missing")
        .description("Regenerations whose parent turn was no longer in the history").register(registry);
    for (InvalidWeightsException.Reason reason : InvalidWeightsException.Reason.values()) {
      weightsRejected.put(reason, Counter.builder("quest.weights.rejected").tag("reason", reason.name())
          .description("Weights records rejected, by the check they failed").register(registry));
    }
    conversationsExpired = Counter.builder("quest.history.expired")
        .description("Idle conversations dropped from the history store").register(registry);
    duplicateTurns = Counter.builder("quest.turns.duplicate")
        .description("Turns whose turn id their conversation had already used (dead-lettered)").register(registry);
    for (DeadLetterKind kind : DeadLetterKind.values()) {
      deadLetters.put(kind, Counter.builder("quest.dead.letters").tag("kind", kind.tag())
          .description("Records sent to the dead-letter topic").register(registry));
    }
    // Gauges hold their state strongly: the registry may outlive this object, and a collected one reads NaN.
    Gauge.builder("quest.weights.version", weightsVersion, AtomicLong::get).strongReference(true)
        .description("Version of the reward heads in force (-1: none)").register(registry);
    shadowScores = Counter.builder("quest.shadow.scores")
        .description("Turns scored by a shadowed candidate version too (records on the shadow topic)")
        .register(registry);
    shadowFlips = Counter.builder("quest.shadow.flips")
        .description("Shadowed turns whose moderation decision the candidate would change").register(registry);
    candidatesInstalled = Counter.builder("quest.shadow.candidates").tag("outcome", "installed")
        .description("Candidate weights versions, by what became of them on this instance").register(registry);
    candidatesRejected = Counter.builder("quest.shadow.candidates").tag("outcome", "rejected")
        .description("Candidate weights versions, by what became of them on this instance").register(registry);
    candidatesWithdrawn = Counter.builder("quest.shadow.candidates").tag("outcome", "withdrawn")
        .description("Candidate weights versions, by what became of them on this instance").register(registry);
    Gauge.builder("quest.shadow.candidate.version", candidateVersion, AtomicLong::get).strongReference(true)
        .description("Version of the candidate heads shadowed alongside the serving ones (-1: none)")
        .register(registry);
    Gauge.builder("quest.batch.pending", pendingTurns, AtomicLong::get).strongReference(true)
        .description("Assistant turns buffered, waiting for a flush").register(registry);
  }

  /** Meters on a private in-memory registry, for tools and tests that do not export metrics. */
  public static ScoringMetrics standalone() {
    return new ScoringMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A micro-batch's last result was collected, {@code sinceHandOver} after it was handed to the model. */
  public void batchScored(int size, Duration sinceHandOver) {
    batchSize.record(size);
    modelTime.record(sinceHandOver);
  }

  public void turnScored() {
    scores.increment();
  }

  public void handOverRefused() {
    handOversRefused.increment();
  }

  public double handOversRefused() {
    return handOversRefused.count();
  }

  public void backpressureWait(Duration waited) {
    backpressureWait.record(waited);
  }

  public void queueWait(long millis) {
    queueWait.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  public void moderationEvent() {
    moderationEvents.increment();
  }

  public void characterMissing() {
    charactersMissing.increment();
  }

  public void parentMissing() {
    parentsMissing.increment();
  }

  public void conversationsExpired(int count) {
    conversationsExpired.increment(count);
  }

  public void duplicateTurn() {
    duplicateTurns.increment();
  }

  public double duplicateTurns() {
    return duplicateTurns.count();
  }

  @Override
  public void deadLetter(DeadLetterKind kind) {
    deadLetters.get(kind).increment();
  }

  public double deadLetters(DeadLetterKind kind) {
    return deadLetters.get(kind).count();
  }

  public void weightsInstalled(WeightsVersion version) {
    weightsVersion.set(version.version());
  }

  public void weightsRejected(InvalidWeightsException.Reason reason) {
    weightsRejected.get(reason).increment();
    deadLetter(DeadLetterKind.WEIGHTS);
  }

  public double weightsRejections() {
    return weightsRejected.values().stream().mapToDouble(Counter::count).sum();
  }

  public double weightsRejections(InvalidWeightsException.Reason reason) {
    return weightsRejected.get(reason).count();
  }

  public void candidateInstalled(long version) {
    candidateVersion.set(version);
    candidatesInstalled.increment();
  }

  public void candidateRejected() {
    candidatesRejected.increment();
  }

  public void candidateWithdrawn() {
    candidateVersion.set(-1);
    candidatesWithdrawn.increment();
  }

  /** Version of the candidate shadowed now, -1 when none. */
  public long candidateVersion() {
    return candidateVersion.get();
  }

  public void shadowScored(boolean flips) {
    shadowScores.increment();
    if (flips) {
      shadowFlips.increment();
    }
  }

  public double shadowScores() {
    return shadowScores.count();
  }

  public void pendingChanged(long delta) {
    pendingTurns.addAndGet(delta);
  }
}
