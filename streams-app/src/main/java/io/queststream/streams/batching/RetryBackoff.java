package io.queststream.streams.batching;

/**
 * When to try the model again after it refused work (queue full, closing): the pause doubles from {@code min} up to
 * {@code max} while refusals go on, and a success ends it. Bounded, never giving up: the turns are valid and wait.
 */
final class RetryBackoff {

  private final long minMs;
  private final long maxMs;
  private long pauseMs;
  private long notBeforeMs;

  RetryBackoff(long minMs, long maxMs) {
    this.minMs = minMs;
    this.maxMs = maxMs;
  }

  boolean mayTry(long nowMs) {
    return nowMs >= notBeforeMs;
  }

  void refused(long nowMs) {
    pauseMs = pauseMs == 0 ? minMs : Math.min(maxMs, pauseMs * 2);
    notBeforeMs = nowMs + pauseMs;
  }

  void succeeded() {
    pauseMs = 0;
    notBeforeMs = 0;
  }

  long pauseMs() {
    return pauseMs;
  }
}
