package io.queststream.model.config;

import java.time.Duration;
import java.util.ArrayList;
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
 * @param maxPaddingRatio a length-sorted round starts a new batch rather than let padding exceed this share of a
 *     batch's positions (a batch of one is always allowed)
 * @param workers threads that run batches side by side, each with its own processor. On a CPU, two workers of one
 *     engine thread each keep running while the other is preempted, where one worker of two engine threads waits at
 *     every operator for its slower half (docs/benchmarks.md); on one accelerator, one worker
 */
public record BatcherConfig(
    int maxBatchSize,
    int tokenBudget,
    Duration maxWait,
    int queueCapacity,
    Duration submitTimeout,
    List<Integer> sequenceBuckets,
    boolean warmUp,
    double maxPaddingRatio,
    int workers) {

  public BatcherConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, was " + workers);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
    }
    if (maxWait.isNegative() || submitTimeout.isNegative()) {
      throw new IllegalArgumentException("maxWait and submitTimeout must not be negative");
    }
    if (!(maxPaddingRatio >= 0 && maxPaddingRatio <= 1)) {
      throw new IllegalArgumentException("maxPaddingRatio must be between 0 and 1, was " + maxPaddingRatio);
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

  /** One worker. */
  public BatcherConfig(int maxBatchSize, int tokenBudget, Duration maxWait, int queueCapacity, Duration submitTimeout,
      List<Integer> sequenceBuckets, boolean warmUp, double maxPaddingRatio) {
    this(maxBatchSize, tokenBudget, maxWait, queueCapacity, submitTimeout, sequenceBuckets, warmUp, maxPaddingRatio,
        1);
  }

  /**
   * Laptop defaults: batches of up to 32 sequences / 8192 padded tokens, 5 ms max wait, 1024 queued requests,
   * sequence buckets every 8 tokens up to 512 (on a CPU every padded token is computed for nothing, and an engine
   * without warm-up does not care how many shapes it sees; each is one shape to warm up where that matters), at most
   * a quarter of a batch spent on padding.
   */
  public static BatcherConfig defaults() {
    return new BatcherConfig(32, 8192, Duration.ofMillis(5), 1024, Duration.ofSeconds(30), steps(8, 512), false,
        0.25);
  }

  /** Buckets every {@code step} tokens up to {@code max} (which is always the last bucket). */
  public static List<Integer> steps(int step, int max) {
    List<Integer> buckets = new ArrayList<>();
    for (int b = step; b < max; b += step) {
      buckets.add(b);
    }
    buckets.add(max);
    return buckets;
  }

  public BatcherConfig withMaxBatchSize(int n) {
    return new BatcherConfig(n, tokenBudget, maxWait, queueCapacity, submitTimeout,
        sequenceBuckets, warmUp, maxPaddingRatio, workers);
  }

  public BatcherConfig withTokenBudget(int n) {
    return new BatcherConfig(maxBatchSize, n, maxWait, queueCapacity, submitTimeout,
        sequenceBuckets, warmUp, maxPaddingRatio, workers);
  }

  public BatcherConfig withMaxWait(Duration d) {
    return new BatcherConfig(maxBatchSize, tokenBudget, d, queueCapacity, submitTimeout,
        sequenceBuckets, warmUp, maxPaddingRatio, workers);
  }

  public BatcherConfig withQueue(int capacity, Duration timeout) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, capacity, timeout,
        sequenceBuckets, warmUp, maxPaddingRatio, workers);
  }

  public BatcherConfig withSequenceBuckets(List<Integer> buckets) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, queueCapacity, submitTimeout,
        buckets, warmUp, maxPaddingRatio, workers);
  }

  public BatcherConfig withMaxPaddingRatio(double ratio) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, queueCapacity, submitTimeout, sequenceBuckets, warmUp,
        ratio, workers);
  }

  /**
   * The same settings with buckets that reach {@code length}: doubling from the largest bucket, the last one exactly
   * {@code length}, and a token budget that holds one such sequence. Unchanged when a bucket already reaches it.
   */
  public BatcherConfig reaching(int length) {
    if (bucketFor(length) >= 0) {
      return this;
    }
    List<Integer> buckets = new ArrayList<>(sequenceBuckets);
    for (int b = 2 * buckets.get(buckets.size() - 1); b < length; b *= 2) {
      buckets.add(b);
    }
    buckets.add(length);
    return new BatcherConfig(maxBatchSize, Math.max(tokenBudget, length), maxWait, queueCapacity, submitTimeout,
        buckets, warmUp, maxPaddingRatio, workers);
  }

  public BatcherConfig withWarmUp(boolean on) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, queueCapacity, submitTimeout,
        sequenceBuckets, on, maxPaddingRatio, workers);
  }

  public BatcherConfig withWorkers(int n) {
    return new BatcherConfig(maxBatchSize, tokenBudget, maxWait, queueCapacity, submitTimeout, sequenceBuckets, warmUp,
        maxPaddingRatio, n);
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
