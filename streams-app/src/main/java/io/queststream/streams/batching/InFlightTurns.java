package io.queststream.streams.batching;

import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.RewardResult;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The turns of one task that the model is working on, in buffer order. Memory only: their buffer entries stay in
 * the store until their outcomes are forwarded, so a crash or a rebalance loses nothing and the next owner of the
 * task submits them again.
 */
final class InFlightTurns {

  /** One submission: its size and when it was handed over, for the batch metrics. */
  static final class Submission {
    final int size;
    final long submittedAtNanos;
    int open;

    Submission(int size, long submittedAtNanos) {
      this.size = size;
      this.submittedAtNanos = submittedAtNanos;
      this.open = size;
    }
  }

  /** A turn handed to the model; the prepared form is kept to resubmit it without tokenizing again. */
  record Turn(long sequence, PendingTurn pending, PreparedTurn prepared, CompletableFuture<RewardResult> result,
      Submission submission) {}

  private final TreeMap<Long, Turn> turns = new TreeMap<>();

  void add(Turn turn) {
    turns.put(turn.sequence(), turn);
  }

  int size() {
    return turns.size();
  }

  boolean isEmpty() {
    return turns.isEmpty();
  }

  /**
   * Removes and returns the oldest turns whose results are in, stopping at the first that is still running, so
   * outcomes leave in buffer order.
   */
  List<Turn> takeCompleted() {
    List<Turn> done = new ArrayList<>();
    Iterator<Map.Entry<Long, Turn>> it = turns.entrySet().iterator();
    while (it.hasNext()) {
      Turn t = it.next().getValue();
      if (!t.result().isDone()) {
        break;
      }
      done.add(t);
      it.remove();
    }
    return done;
  }

  /** Waits up to the timeout for the oldest turn's result (its outcome, good or bad, is read later). */
  void awaitOldest(long timeoutMs) throws InterruptedException {
    if (turns.isEmpty()) {
      return;
    }
    try {
      turns.firstEntry().getValue().result().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Done with a failure, or not done yet: either way the caller goes on and takes what is complete.
    }
  }

  /** Forgets every turn; the model may still compute them, nobody will read the results. */
  void abandon() {
    turns.values().forEach(t -> t.result().cancel(false));
    turns.clear();
  }
}
