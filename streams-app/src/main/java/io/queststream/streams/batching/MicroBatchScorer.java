package io.queststream.streams.batching;

import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScorerUnavailableException;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.UnscorableTurnException;
import io.queststream.model.api.UnscorableTurnException.Reason;
import io.queststream.streams.batching.InFlightTurns.Submission;
import io.queststream.streams.batching.InFlightTurns.Turn;
import io.queststream.streams.config.BatchingConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.history.ScoringTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching that never blocks its stream thread on the model and stays exactly-once (docs/micro-batching.md
 * has the argument in full).
 *
 * <p>Each assistant turn is tokenized once, on arrival, and written to a changelogged buffer store. Turns are handed
 * to the shared scorer without waiting for results: as soon as the scorer's queue is empty (so they join its very
 * next device batch, merged with other tasks' turns), or, while it is busy, once the buffer holds a full batch or
 * its oldest turn has waited the maximum wait. Results are collected on the stream thread, from a short wall-clock
 * punctuator and on every record: each outcome is forwarded and its buffer entry deleted inside the same
 * process()/punctuate() call, so one transaction commits both or neither. A turn the model is still working on keeps
 * its buffer entry, so a commit never holds the delete of a turn whose score it does not hold; after a crash or a
 * rebalance the buffer is restored from its changelog as of the last commit and the turns are handed over again.
 *
 * <p>A task has at most {@code batch.max-in-flight} turns with the model; at that limit, with a full batch waiting
 * too, the stream thread waits for results before taking more input. A model that refuses work (queue full,
 * closing) is asked again after a pause that doubles up to a second; such turns are never dead-lettered. A turn
 * whose tokenization or scoring fails on its own (the scorer runs a failed device batch again turn by turn) goes
 * to the dead-letter topic. Until the scorer has weights, turns stay buffered.
 *
 * <p>A turn whose model call never returns (a wedged backbone: the watchdog ends the process) or kills the process
 * (a native crash) would otherwise end every process that restores it, for ever. So a turn found in the buffer at
 * init is handed over alone, one at a time per app instance ({@link RestoredTurnGate}), and only after a commit has
 * recorded one more model call for it ({@link PendingTurn#modelCalls}); a turn that has had {@code maxModelCalls}
 * calls without an outcome is dead-lettered as {@link Reason#MODEL_NEVER_FINISHED} instead of being handed over
 * again. Turns that arrive in this process's life are counted at 1 when buffered and cost nothing more.
 */
public final class MicroBatchScorer implements Processor<String, ScoringTask, String, ScoringOutcome> {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchScorer.class);
  /** How often results are collected and the buffer reconsidered: about once per stream-thread loop. */
  private static final Duration TICK = Duration.ofMillis(5);
  /**
   * Tokenized turns kept in memory per task. The backpressure keeps the buffer far below this; a backlog built while
   * no weights were installed (or restored after a restart) is tokenized again when it is handed over.
   */
  private static final int MAX_PREPARED_KEPT = 1024;
  /** Longest one wait for the model's results in process(): far inside the transaction timeout. */
  private static final long MAX_BACKPRESSURE_WAIT_MS = 2_000;
  private static final long RETRY_MIN_MS = 10;
  private static final long RETRY_MAX_MS = 1_000;

  /** A buffered turn not yet handed to the model. */
  private record Waiting(int tokens, long enqueuedAtMs) {}

  private final String storeName;
  private final Supplier<BatchingConfig> limits;
  private final RewardScorer scorer;
  private final ScoringMetrics metrics;
  private final RestoredTurnGate restoredGate;
  private final int maxModelCalls;
  private ProcessorContext<String, ScoringOutcome> context;
  private KeyValueStore<Long, PendingTurn> buffer;
  private NavigableMap<Long, Waiting> waiting;
  private long waitingTokens;
  private Map<Long, PreparedTurn> prepared;
  private InFlightTurns inFlight;
  private RetryBackoff backoff;
  private long nextSequence;
  /** Turns found in the buffer at init, oldest first, not yet handed over in this life. */
  private NavigableSet<Long> restored;
  /** The restored turn whose extra model call is recorded and awaits its commit; null when none. */
  private Long staged;
  private long stagedAtTick;
  /** The restored turn now with the model; null when none. */
  private Long restoredInFlight;
  private long ticks;
  /** The tick's schedule while the task has turns; null while it has none. */
  private Cancellable tick;

  /**
   * @param limits the limits in force, read at each decision (they may change while the app runs)
   * @param restoredGate shared by every task of the app instance
   * @param maxModelCalls model calls without an outcome after which a turn is dead-lettered, not handed over again
   */
  public MicroBatchScorer(String storeName, Supplier<BatchingConfig> limits, RewardScorer scorer,
      ScoringMetrics metrics, RestoredTurnGate restoredGate, int maxModelCalls) {
    this.storeName = storeName;
    this.limits = limits;
    this.scorer = scorer;
    this.metrics = metrics;
    this.restoredGate = restoredGate;
    this.maxModelCalls = maxModelCalls;
  }

  /** Kafka Streams may init the same instance again after closing it dirty: every field starts over here. */
  @Override
  public void init(ProcessorContext<String, ScoringOutcome> context) {
    this.context = context;
    this.buffer = context.getStateStore(storeName);
    waiting = new TreeMap<>();
    waitingTokens = 0;
    prepared = new HashMap<>();
    inFlight = new InFlightTurns();
    backoff = new RetryBackoff(RETRY_MIN_MS, RETRY_MAX_MS);
    nextSequence = 0;
    restored = new TreeSet<>();
    staged = null;
    restoredInFlight = null;
    ticks = 0;
    // The store was restored before init: every entry in it was buffered by an earlier owner of the task, and may
    // have been with the model when that owner ended.
    try (KeyValueIterator<Long, PendingTurn> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Long, PendingTurn> kv = it.next();
        restored.add(kv.key);
        nextSequence = kv.key + 1;
      }
    }
    metrics.pendingChanged(restored.size());
    tick = null;
    tickWhileBusy();
  }

  @Override
  public void process(Record<String, ScoringTask> record) {
    collect();
    ScoringTask task = record.value();
    long now = context.currentSystemTimeMs();
    SourcePosition source = SourcePosition.of(context.recordMetadata());
    PreparedTurn turn;
    try {
      turn = scorer.prepare(PendingTurn.request(task));
    } catch (ScoringException e) {
      LOG.warn("Turn {} cannot be tokenized; it goes to the dead-letter topic: {}", task.turn().getTurnId(),
          e.getMessage());
      context.forward(new Record<>(record.key(), new ScoringOutcome(task.turn(), task.characterMissing(),
          task.context().truncated(), null, e, record.timestamp(), now, source), record.timestamp()));
      return;
    }
    long sequence = nextSequence++;
    buffer.put(sequence, PendingTurn.of(record.key(), task, record.timestamp(), now, turn.tokens(), source));
    addWaiting(sequence, new Waiting(turn.tokens(), now));
    if (prepared.size() < MAX_PREPARED_KEPT) {
      prepared.put(sequence, turn);
    }
    metrics.pendingChanged(1);
    handOver(now);
    BatchingConfig inForce = limits.get();
    if (inFlight.size() >= inForce.maxInFlight() && waiting.size() >= inForce.maxSize()) {
      awaitCapacity();
    }
    tickWhileBusy();
  }

  private void onTick(long nowMs) {
    ticks++;
    collect();
    handOverRestored(nowMs);
    handOver(nowMs);
    tickWhileBusy();
  }

  /**
   * Ticks only while the task holds turns. Kafka Streams counts every punctuation as work to commit, so a tick
   * running on an idle task would commit an empty transaction every commit interval, for ever.
   */
  private void tickWhileBusy() {
    boolean busy = !waiting.isEmpty() || !inFlight.isEmpty() || !restored.isEmpty();
    if (busy && tick == null) {
      tick = context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::onTick);
    } else if (!busy && tick != null) {
      tick.cancel();
      tick = null;
    }
  }

  /**
   * Hands the restored turns over one at a time, each alone: first records one more model call for the oldest and
   * asks for a commit; at a later tick (Kafka Streams commits after the punctuators of each loop, so the record is
   * committed by then) hands it over. Runs from the punctuator only, so that the tick count orders it after the commit.
   */
  private void handOverRestored(long now) {
    if (restored.isEmpty() || restoredInFlight != null || scorer.currentWeights().isEmpty() || !backoff.mayTry(now)
        || !restoredGate.tryTake(this)) {
      return;
    }
    if (staged == null) {
      stageNextRestored(now);
      return;
    }
    if (ticks <= stagedAtTick) {
      return;
    }
    long sequence = staged;
    PendingTurn pending = buffer.get(sequence);
    CompletableFuture<RewardResult> result;
    PreparedTurn turn;
    try {
      turn = scorer.prepare(pending.request());
      result = scorer.submitAlone(turn);
    } catch (ScorerUnavailableException e) {
      backoff.refused(now);
      metrics.handOverRefused();
      return;
    } catch (ScoringException e) {
      LOG.warn("Restored turn {} cannot be scored; it goes to the dead-letter topic: {}",
          pending.chatTurn().getTurnId(), e.getMessage());
      restored.remove(sequence);
      staged = null;
      restoredGate.release(this);
      forward(sequence, pending, null, e, now);
      return;
    }
    backoff.succeeded();
    restored.remove(sequence);
    staged = null;
    restoredInFlight = sequence;
    metrics.queueWait(now - pending.enqueuedAtMs());
    inFlight.add(new Turn(sequence, pending, turn, result, new Submission(1, System.nanoTime())));
  }

  /** Dead-letters restored turns out of model calls; records one more call for the next and asks for a commit. */
  private void stageNextRestored(long now) {
    while (!restored.isEmpty()) {
      long sequence = restored.first();
      PendingTurn pending = buffer.get(sequence);
      int calls = pending.callsWithoutOutcome();
      if (calls < maxModelCalls) {
        buffer.put(sequence, pending.withOneMoreCall());
        staged = sequence;
        stagedAtTick = ticks;
        context.commit();
        return;
      }
      String turnId = pending.chatTurn().getTurnId();
      LOG.warn("Turn {} was handed to the model {} times and the process ended before each call returned; it goes "
          + "to the dead-letter topic instead of being handed over again", turnId, calls);
      restored.remove(sequence);
      forward(sequence, pending, null, new UnscorableTurnException(turnId, Reason.MODEL_NEVER_FINISHED,
          "handed to the model " + calls + " times (health.model-call-attempts " + maxModelCalls + "), the last "
              + (calls - 1) + " alone after restarts, and the process ended before each call returned", null),
          now);
    }
    restoredGate.release(this);
  }

  /** Hands waiting turns to the model while it is due and the in-flight limit allows. */
  private void handOver(long now) {
    if (scorer.currentWeights().isEmpty()) {
      return;
    }
    while (!waiting.isEmpty() && inFlight.size() < limits.get().maxInFlight() && backoff.mayTry(now) && due(now)) {
      if (!submit(nextBatch(), now)) {
        return;
      }
    }
  }

  /** An empty model queue takes any turn now; a busy one gets full batches, or turns that have waited enough. */
  private boolean due(long now) {
    BatchingConfig inForce = limits.get();
    return waiting.size() >= inForce.maxSize()
        || waitingTokens >= inForce.tokenBudget()
        || now - waiting.firstEntry().getValue().enqueuedAtMs() >= inForce.maxWait().toMillis()
        || scorer.queueEmpty();
  }

  /** The oldest waiting turns, up to the batch size, the in-flight room and the token budget (at least one). */
  private List<Long> nextBatch() {
    BatchingConfig inForce = limits.get();
    int room = Math.min(inForce.maxSize(), inForce.maxInFlight() - inFlight.size());
    List<Long> batch = new ArrayList<>();
    long tokens = 0;
    for (Map.Entry<Long, Waiting> e : waiting.entrySet()) {
      if (batch.size() == room || (!batch.isEmpty() && tokens + e.getValue().tokens() > inForce.tokenBudget())) {
        break;
      }
      batch.add(e.getKey());
      tokens += e.getValue().tokens();
    }
    return batch;
  }

  /** Hands the turns over; false when the model refused them (they keep waiting, the next try is paused). */
  private boolean submit(List<Long> sequences, long now) {
    List<Long> kept = new ArrayList<>(sequences.size());
    List<PendingTurn> pendings = new ArrayList<>(sequences.size());
    List<PreparedTurn> turns = new ArrayList<>(sequences.size());
    for (long sequence : sequences) {
      PendingTurn pending = buffer.get(sequence);
      PreparedTurn turn = prepared.remove(sequence);
      if (turn == null) {
        try {
          turn = scorer.prepare(pending.request());
        } catch (ScoringException e) {
          LOG.warn("Turn {} cannot be tokenized; it goes to the dead-letter topic: {}", pending.chatTurn()
              .getTurnId(), e.getMessage());
          removeWaiting(sequence);
          forward(sequence, pending, null, e, now);
          continue;
        }
      }
      kept.add(sequence);
      pendings.add(pending);
      turns.add(turn);
    }
    if (turns.isEmpty()) {
      return true;
    }
    List<CompletableFuture<RewardResult>> results;
    try {
      results = scorer.submit(turns);
    } catch (ScorerUnavailableException e) {
      for (int i = 0; i < kept.size(); i++) {
        prepared.put(kept.get(i), turns.get(i));
      }
      backoff.refused(now);
      metrics.handOverRefused();
      LOG.debug("The model refused {} turns ({}); next try in {} ms", turns.size(), e.getMessage(),
          backoff.pauseMs());
      return false;
    } catch (ScoringException e) {
      // Turns this scorer did not prepare for its backbone and window: they can never be scored as they are.
      LOG.warn("The model refused {} turns as prepared for another backbone; they go to the dead-letter topic: {}",
          turns.size(), e.getMessage());
      for (int i = 0; i < kept.size(); i++) {
        removeWaiting(kept.get(i));
        forward(kept.get(i), pendings.get(i), null, e, now);
      }
      return true;
    }
    backoff.succeeded();
    Submission submission = new Submission(turns.size(), System.nanoTime());
    for (int i = 0; i < kept.size(); i++) {
      removeWaiting(kept.get(i));
      metrics.queueWait(now - pendings.get(i).enqueuedAtMs());
      inFlight.add(new Turn(kept.get(i), pendings.get(i), turns.get(i), results.get(i), submission));
    }
    collect();
    return true;
  }

  /** Forwards the outcomes that are in, oldest first; a refused turn waits again, an Error ends the thread. */
  private void collect() {
    List<Turn> done = inFlight.takeCompleted();
    if (done.isEmpty()) {
      return;
    }
    long now = context.currentSystemTimeMs();
    boolean forwarded = false;
    for (Turn t : done) {
      closeOne(t.submission());
      boolean wasRestored = Long.valueOf(t.sequence()).equals(restoredInFlight);
      if (wasRestored) {
        restoredInFlight = null;
        restoredGate.release(this);
      }
      Throwable failure = failureOf(t.result());
      if (failure == null) {
        forward(t.sequence(), t.pending(), t.result().join(), null, now);
        forwarded = true;
      } else if (failure instanceof Error error) {
        throw error;
      } else if (failure instanceof ScorerUnavailableException || failure instanceof CancellationException) {
        if (wasRestored) {
          // It never ran: it stays a restored turn, and its recorded call stays counted (a rare overcount).
          restored.add(t.sequence());
        } else {
          addWaiting(t.sequence(), new Waiting(t.pending().tokens(), t.pending().enqueuedAtMs()));
          prepared.put(t.sequence(), t.prepared());
        }
        backoff.refused(now);
        metrics.handOverRefused();
      } else {
        LOG.warn("Scoring turn {} failed; it goes to the dead-letter topic: {}", t.prepared().turnId(),
            failure.getMessage());
        forward(t.sequence(), t.pending(), null, failure instanceof Exception e ? e
            : new ScoringException(failure.toString(), failure), now);
        forwarded = true;
      }
    }
    if (forwarded && limits.get().commitOnResults()) {
      // The scores are final: commit now rather than at the next commit interval, so they become visible sooner.
      context.commit();
    }
  }

  private static Throwable failureOf(CompletableFuture<RewardResult> result) {
    if (!result.isCompletedExceptionally()) {
      return null;
    }
    try {
      result.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    } catch (CancellationException e) {
      return e;
    }
  }

  private void closeOne(Submission s) {
    if (--s.open == 0) {
      metrics.batchScored(s.size, Duration.ofNanos(System.nanoTime() - s.submittedAtNanos));
    }
  }

  /** Backpressure: the model has all it may take from this task and a full batch waits, so take no input yet. */
  private void awaitCapacity() {
    long started = System.nanoTime();
    try {
      inFlight.awaitOldest(MAX_BACKPRESSURE_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metrics.backpressureWait(Duration.ofNanos(System.nanoTime() - started));
    collect();
    handOver(context.currentSystemTimeMs());
  }

  private void forward(long sequence, PendingTurn pending, RewardResult result, Exception failure, long now) {
    ScoringOutcome outcome = new ScoringOutcome(pending.chatTurn(), pending.character() == null,
        pending.truncated(), result, failure, pending.recordTimestamp(), now, pending.source());
    context.forward(new Record<>(pending.key(), outcome, pending.recordTimestamp()));
    buffer.delete(sequence);
    metrics.pendingChanged(-1);
    if (result != null) {
      metrics.turnScored();
    }
  }

  private void addWaiting(long sequence, Waiting w) {
    waiting.put(sequence, w);
    waitingTokens += w.tokens();
  }

  private void removeWaiting(long sequence) {
    Waiting w = waiting.remove(sequence);
    if (w != null) {
      waitingTokens -= w.tokens();
    }
  }

  @Override
  public void close() {
    restoredGate.release(this);
    metrics.pendingChanged(-(waiting.size() + inFlight.size() + restored.size()));
    inFlight.abandon();
    waiting.clear();
    prepared.clear();
  }
}
