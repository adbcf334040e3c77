package io.queststream.model.batching;

import java.util.List;

/** What a batcher worker runs: one device batch at a time, always on that worker's own thread. */
public interface BatchProcessor<I, O> {

  /** Called once on the worker thread before anything else, for thread-bound native settings. */
  default void onWorkerStart() {}

  /**
   * Processes one batch, padded to {@code paddedLength}; returns one output per item, in order. An exception fails
   * this batch only.
   */
  List<O> process(List<I> items, int paddedLength) throws Exception;

  /** Runs a throw-away batch of this shape so the first real batch of that shape does not pay for compilation. */
  void warmUp(int batchSize, int paddedLength) throws Exception;
}
