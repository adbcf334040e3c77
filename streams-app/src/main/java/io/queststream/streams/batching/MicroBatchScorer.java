package io.queststream.streams.batching;

import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.streams.config.BatchingConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.topology.ScoringTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batching that is correct under exactly-once. Pending assistant turns live in a changelogged store, never
 * only in memory; a flush scores them, forwards the outcomes and deletes their entries inside the same
 * process()/punctuate() call, so one transaction commits all three or none. After a crash the buffer is restored
 * from its changelog as of the last commit and the uncommitted scores are aborted: each turn is scored into the
 * output exactly once.
 *
 * <p>A flush happens when the buffer reaches the batch size or the token budget, or, from a wall-clock punctuator,
 * when its oldest turn has waited the maximum wait. Until the scorer has weights, turns stay buffered.
 */
public final class MicroBatchScorer implements Processor<String, ScoringTask, String, ScoringOutcome> {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchScorer.class);
  /** Bounds one flush (e.g. a backlog buffered while no weights were installed) so polls keep their deadline. */
  private static final int MAX_BATCHES_PER_FLUSH = 16;
  private static final Duration MIN_TICK = Duration.ofMillis(5);

  private final String storeName;
  private final BatchingConfig limits;
  private final RewardScorer scorer;
  private final ScoringMetrics metrics;
  private ProcessorContext<String, ScoringOutcome> context;
  private KeyValueStore<Long, PendingTurn> buffer;
  private long nextSequence;
  private int pendingTurns;
  private long pendingTokens;
  private long oldestEnqueuedMs;

  public MicroBatchScorer(String storeName, BatchingConfig limits, RewardScorer scorer, ScoringMetrics metrics) {
    this.storeName = storeName;
    this.limits = limits;
    this.scorer = scorer;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, ScoringOutcome> context) {
    this.context = context;
    this.buffer = context.getStateStore(storeName);
    // The store was restored before init: resume its sequence and counters.
    try (KeyValueIterator<Long, PendingTurn> it = buffer.all()) {
      while (it.hasNext()) {
        KeyValue<Long, PendingTurn> kv = it.next();
        if (pendingTurns == 0) {
          oldestEnqueuedMs = kv.value.enqueuedAtMs();
        }
        pendingTurns++;
        pendingTokens += kv.value.tokens();
        nextSequence = kv.key + 1;
      }
    }
    metrics.pendingChanged(pendingTurns);
    Duration tick = limits.maxWait().dividedBy(2);
    context.schedule(tick.compareTo(MIN_TICK) < 0 ? MIN_TICK : tick, PunctuationType.WALL_CLOCK_TIME, this::onTick);
  }

  @Override
  public void process(Record<String, ScoringTask> record) {
    ScoringRequest request = PendingTurn.request(record.value());
    int tokens = scorer.tokenCount(request);
    long now = context.currentSystemTimeMs();
    buffer.put(nextSequence++, PendingTurn.of(record.key(), record.value(), record.timestamp(), now, tokens));
    if (pendingTurns == 0) {
      oldestEnqueuedMs = now;
    }
    pendingTurns++;
    pendingTokens += tokens;
    metrics.pendingChanged(1);
    if (pendingTurns >= limits.maxSize() || pendingTokens >= limits.tokenBudget()) {
      flush();
    }
  }

  private void onTick(long nowMs) {
    if (pendingTurns > 0 && nowMs - oldestEnqueuedMs >= limits.maxWait().toMillis()) {
      flush();
    }
  }

  private void flush() {
    if (scorer.currentWeights().isEmpty()) {
      return;
    }
    for (int i = 0; i < MAX_BATCHES_PER_FLUSH && pendingTurns > 0; i++) {
      scoreAndForward(nextBatch());
    }
    oldestEnqueuedMs = oldestPendingEnqueuedAt();
  }

  /** The oldest pending turns, up to the batch size and the token budget (at least one turn). */
  private List<KeyValue<Long, PendingTurn>> nextBatch() {
    List<KeyValue<Long, PendingTurn>> batch = new ArrayList<>();
    long tokens = 0;
    try (KeyValueIterator<Long, PendingTurn> it = buffer.all()) {
      while (it.hasNext() && batch.size() < limits.maxSize()) {
        KeyValue<Long, PendingTurn> kv = it.next();
        if (!batch.isEmpty() && tokens + kv.value.tokens() > limits.tokenBudget()) {
          break;
        }
        batch.add(kv);
        tokens += kv.value.tokens();
      }
    }
    return batch;
  }

  /**
   * Scores a batch and forwards one outcome per turn. When a batch of several turns fails, each turn is scored on
   * its own, so that one bad turn (say, longer than the backbone accepts) does not send good turns to the
   * dead-letter topic with it.
   */
  private void scoreAndForward(List<KeyValue<Long, PendingTurn>> batch) {
    List<ScoringRequest> requests = batch.stream().map(kv -> kv.value.request()).toList();
    long started = System.nanoTime();
    try {
      List<RewardResult> results = scorer.score(requests);
      metrics.batchScored(batch.size(), Duration.ofNanos(System.nanoTime() - started));
      forward(batch, results, null);
    } catch (ScoringException e) {
      if (batch.size() > 1) {
        LOG.warn("Scoring a batch of {} turns failed ({}); scoring them one at a time", batch.size(),
            e.getMessage());
        for (KeyValue<Long, PendingTurn> single : batch) {
          scoreAndForward(List.of(single));
        }
      } else {
        LOG.warn("Scoring turn {} failed; it goes to the dead-letter topic: {}",
            batch.get(0).value.chatTurn().getTurnId(), e.getMessage());
        forward(batch, null, e);
      }
    }
  }

  private void forward(List<KeyValue<Long, PendingTurn>> batch, List<RewardResult> results,
      ScoringException failure) {
    long now = context.currentSystemTimeMs();
    for (int i = 0; i < batch.size(); i++) {
      PendingTurn pending = batch.get(i).value;
      metrics.queueWait(now - pending.enqueuedAtMs());
      ScoringOutcome outcome = new ScoringOutcome(pending.chatTurn(), pending.character() == null,
          pending.truncated(), results == null ? null : results.get(i), failure, pending.recordTimestamp(), now);
      context.forward(new Record<>(pending.key(), outcome, pending.recordTimestamp()));
      buffer.delete(batch.get(i).key);
      pendingTurns--;
      pendingTokens -= pending.tokens();
    }
    metrics.pendingChanged(-batch.size());
  }

  private long oldestPendingEnqueuedAt() {
    try (KeyValueIterator<Long, PendingTurn> it = buffer.all()) {
      return it.hasNext() ? it.next().value.enqueuedAtMs() : 0;
    }
  }

  @Override
  public void close() {
    metrics.pendingChanged(-pendingTurns);
  }
}
