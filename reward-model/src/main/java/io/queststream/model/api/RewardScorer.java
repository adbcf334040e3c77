package io.queststream.model.api;

import io.queststream.schemas.RewardHeads;
import java.util.List;
import java.util.Optional;

/**
 * The reward model as its callers see it. One instance per JVM, shared by every thread: it owns the backbone and
 * the dynamic batcher that merges concurrent calls into device batches.
 */
public interface RewardScorer extends AutoCloseable {

  BackboneInfo backbone();

  /** Tokens the rendered request occupies after truncation; cheap and thread-safe (for micro-batch budgets). */
  int tokenCount(ScoringRequest request);

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

  /** Heads in use, empty until weights are installed. */
  Optional<WeightsVersion> currentWeights();

  /** The record the heads in use were installed from, empty until weights are installed. */
  Optional<RewardHeads> currentHeads();

  @Override
  void close();
}
