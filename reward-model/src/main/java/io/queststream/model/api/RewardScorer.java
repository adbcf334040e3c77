package io.queststream.model.api;

import io.queststream.schemas.RewardHeads;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The reward model as its callers see it. One instance per JVM, shared by every thread: it owns the backbone and
 * the dynamic batcher that merges concurrent calls into device batches.
 */
public interface RewardScorer extends AutoCloseable {

  BackboneInfo backbone();

  /**
   * Tokens the backbone reads for the request, all its windows together; cheap and thread-safe (for micro-batch
   * budgets). A request that can never be scored counts as one full window.
   */
  int tokenCount(ScoringRequest request);

  /**
   * Tokens of a message's text on its own, without chat template or special tokens: a cheap measure of the room a
   * message takes in a conversation (history bounds). Thread-safe.
   */
  int messageTokens(String text);

  /**
   * Renders, tokenizes and fits the request into the backbone's windows on the caller's thread, so that it can be
   * scored later without doing any of that again ({@link #scorePrepared}, {@link #submit}).
   *
   * @throws UnscorableTurnException when the request can never be scored (template failure, render limit)
   */
  PreparedTurn prepare(ScoringRequest request) throws UnscorableTurnException;

  /**
   * Scores prepared turns, results in order; as {@link #score} without tokenizing.
   *
   * @throws ScoringException as {@link #score}, and when a turn was prepared for another backbone or window size
   */
  List<RewardResult> scorePrepared(List<PreparedTurn> turns) throws ScoringException;

  /**
   * Queues prepared turns for the shared batcher without blocking, for callers that must keep working meanwhile
   * (stream threads). Each turn gets its own future, completed on the batcher's thread when its device batch is
   * done. A device batch that fails is run again one turn at a time, so a future that fails with a plain
   * {@link ScoringException} failed on that turn alone; one that fails with a {@link ScorerUnavailableException}
   * (the scorer closed before it ran) says nothing about the turn; an {@link Error} is passed on as it is.
   *
   * @throws ScorerUnavailableException when the queue has no room for all of them now or no weights are installed;
   *     nothing is queued then
   * @throws ScoringException when a turn was prepared for another backbone or window size
   */
  List<CompletableFuture<RewardResult>> submit(List<PreparedTurn> turns) throws ScoringException;

  /**
   * Queues one prepared turn as {@link #submit} does, to run in a device batch of its own: for a turn suspected of
   * ending the process (its earlier model calls never returned), so that whatever its call does, it does to this
   * turn alone and never to turns of other conversations.
   *
   * @throws ScorerUnavailableException when the queue has no room now or no weights are installed
   * @throws ScoringException when the turn was prepared for another backbone or window size
   */
  CompletableFuture<RewardResult> submitAlone(PreparedTurn turn) throws ScoringException;

  /**
   * True when no work waits in the shared batcher's queue: what is submitted now goes into the very next device
   * batch, with whatever other callers submit meanwhile, instead of queueing behind earlier work.
   */
  boolean queueEmpty();

  /**
   * Scores the requests, results in request order. Thread-safe; blocks while the batcher queue is full.
   *
   * @throws ScoringException when the batch fails, the queue rejects it, or no weights are installed
   */
  List<RewardResult> score(List<ScoringRequest> requests) throws ScoringException;

  /** Backbone embeddings only (no heads needed), results in request order; batched like {@link #score}. */
  List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException;

  /** Validates and atomically installs heads; on failure the running heads stay. */
  WeightsVersion installWeights(RewardHeads heads) throws InvalidWeightsException;

  /**
   * Installs heads that score every turn alongside the serving ones, on the same embeddings of the same backbone
   * pass, without deciding anything: each result then carries the candidate's verdict as
   * {@link RewardResult#candidate()} (docs/shadow.md). Replaces any earlier candidate; on failure the running
   * candidate stays. The caller has verified the record as it verifies serving weights.
   */
  default WeightsVersion installCandidate(RewardHeads heads) throws InvalidWeightsException {
    throw new UnsupportedOperationException("this scorer does not shadow candidate weights");
  }

  /** Stops scoring with the candidate heads, from the next device batch on; nothing when none is installed. */
  default void clearCandidate() {}

  /** The candidate heads scoring alongside the serving ones, empty when none. */
  default Optional<RewardHeads> currentCandidate() {
    return Optional.empty();
  }

  /**
   * How long the oldest model call now running has run; empty when none runs (or the scorer does not say). A call
   * that never returns (a wedged native runtime or device) shows here as an ever longer call.
   */
  default Optional<Duration> longestRunningCall() {
    return Optional.empty();
  }

  /** Heads in use, empty until weights are installed. */
  Optional<WeightsVersion> currentWeights();

  /** The record the heads in use were installed from, empty until weights are installed. */
  Optional<RewardHeads> currentHeads();

  @Override
  void close();
}
