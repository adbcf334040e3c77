package io.queststream.model.config;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the dynamic batcher that merges concurrent scoring calls into device batches.
 *
 * @param maxBatchSize most sequences in one forward pass
 * @param tokenBudget most padded tokens (batch size x padded length) in one forward pass
 * @param maxWait how long the first request of a batch waits for company before the batch runs anyway
 * @param queueCapacity requests waiting at most; a full queue blocks submitters
 * @param submitTimeout how long a submitter blocks on a full queue before its call is rejected
 * @param sequenceBuckets padded lengths, ascending; a batch is padded to the smallest bucket that fits, so the
 *     device only ever sees these shapes (and warm-up can cover them)
 * @param warmUp run every bucket shape before serving (TorchScript on GPU stalls on the first calls of a new shape)
 */
public record BatcherConfig(
    int maxBatchSize,
    int tokenBudget,
    Duration maxWait,
    int queueCapacity,
    Duration submitTimeout,
    List<Integer> sequenceBuckets,
    boolean warmUp) {

  public BatcherConfig {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
    }
    if (maxWait.isNegative() || submitTimeout.isNegative()) {
      throw new IllegalArgumentException("maxWait and submitTimeout must not be negative");
    }
    sequenceBuckets = List.copyOf(sequenceBuckets);
    if (sequenceBuckets.isEmpty()) {
      throw new IllegalArgumentException("sequenceBuckets must not be empty");
    }
    for (int i = 0; i < sequenceBuckets.size(); i++) {
      if (sequenceBuckets.get(i) < 1 || (i > 0 && sequenceBuckets.get(i) <= sequenceBuckets.get(i - 1))) {
        throw new IllegalArgumentException("sequenceBuckets must be positive and ascending: " + sequenceBuckets);
      }
    }
    int largest = sequenceBuckets.get(sequenceBuckets.size() - 1);
    if (tokenBudget < largest) {
      throw new IllegalArgumentException(
          "tokenBudget " + tokenBudget + " cannot hold one sequence of the largest bucket " + largest);
    }
  }

  /**
   * Laptop defaults: batches of up to 32 sequences / 8192 padded tokens, 5 ms max wait, 1024 queued requests, and
   * sequence buckets every 32 tokens up to 512 (fine buckets keep padding low; each is one shape to warm up).
   */
  public static BatcherConfig defaults() {
    return new BatcherConfig(32, 8192, Duration.ofMillis(5), 1024, Duration.ofSeconds(30), steps(32, 512), false);
  }

  /** Buckets every {@code step} tokens up to {@code max} (which is always the last bucket). */
  public static List<Integer> steps(int step, int max) {
    List<Integer> buckets = new java.util.ArrayList<>();
    for (int b = step; b < max; b += step) {
      buckets.add(b);
    }
    buckets.add(max);
    return buckets;
  }

  public BatcherConfig withMaxBatchSize(int n) {
    return new BatcherConfig(n, tokenBudget, maxWait, queueCapacity, submitTimeout, sequenceBuckets, warmUp);
  }

  public BatcherConfig withTokenBudget(int n) {
    return new BatcherConfig(maxBatchSize, n, maxWait, queueCapacity, submitTimeout, sequenceBuckets, warmUp);
  }

  public BatcherConfig withMaxWait(Duration d) {
    return new BatcherConfig(maxBatchSize, tokenBudget, d, queueCapacity, submitTimeout, sequenceBuckets, warmUp);
  }

  public BatcherConfig withQueue(int capacity, Duration timeout) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, capacity, timeout, sequenceBuckets, warmUp);
  }

  public BatcherConfig withSequenceBuckets(List<Integer> buckets) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, queueCapacity, submitTimeout, buckets, warmUp);
  }

  public BatcherConfig withWarmUp(boolean on) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, queueCapacity, submitTimeout, sequenceBuckets, on);
  }

  /** Smallest bucket that holds {@code length} tokens, or -1 when none does. */
  public int bucketFor(int length) {
    for (int b : sequenceBuckets) {
      if (b >= length) {
        return b;
      }
    }
    return -1;
  }

  public int largestBucket() {
    return sequenceBuckets.get(sequenceBuckets.size() - 1);
  }
}
