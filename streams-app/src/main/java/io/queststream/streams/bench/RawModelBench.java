package io.queststream.streams.bench;

import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scorer alone: the same requests in batches of the micro-batch size, submitted by as many callers as the app
 * has stream threads, so its shared batcher sees the same kind of load.
 */
public final class RawModelBench {

  /** Turns scored per second of wall-clock time. */
  public record Result(int turns, double seconds) {
    public double turnsPerSecond() {
      return turns / seconds;
    }
  }

  private RawModelBench() {}

  public static Result run(RewardScorer scorer, List<ScoringRequest> requests, int batchSize, int callers)
      throws Exception {
    List<List<ScoringRequest>> batches = new ArrayList<>();
    for (int i = 0; i < requests.size(); i += batchSize) {
      batches.add(requests.subList(i, Math.min(requests.size(), i + batchSize)));
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    long started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        running.add(pool.submit(() -> {
          for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
            scoreOrFail(scorer, batches.get(b));
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(requests.size(), (System.nanoTime() - started) / 1e9);
  }

  private static void scoreOrFail(RewardScorer scorer, List<ScoringRequest> batch) {
    try {
      scorer.score(batch);
    } catch (ScoringException e) {
      throw new IllegalStateException("the model failed during the benchmark: " + e.getMessage(), e);
    }
  }
}
