package io.queststream.model.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** The batcher's meters, all tagged with the batcher's name. */
final class BatcherMetrics {

  static final String PREFIX = "queststream.batcher.";

  final DistributionSummary batchSize;
  final DistributionSummary batchTokens;
  final DistributionSummary paddedTokens;
  final DistributionSummary paddingRatio;
  final Timer queueWait;
  final Timer modelTime;
  final Counter rejected;
  final Counter failedBatches;

  BatcherMetrics(MeterRegistry registry, String name, BlockingQueue<?> queue) {
    batchSize = DistributionSummary.builder(PREFIX + "batch.size").tag("batcher", name)
        .description("sequences per device batch").register(registry);
    batchTokens = DistributionSummary.builder(PREFIX + "batch.tokens").tag("batcher", name)
        .description("real (unpadded) tokens per device batch").register(registry);
    paddedTokens = DistributionSummary.builder(PREFIX + "batch.padded.tokens").tag("batcher", name)
        .description("tokens per device batch including padding").register(registry);
    paddingRatio = DistributionSummary.builder(PREFIX + "padding.ratio").tag("batcher", name)
        .description("share of a batch's positions that are padding").register(registry);
    queueWait = Timer.builder(PREFIX + "queue.wait").tag("batcher", name)
        .description("time a request waits before its batch starts").register(registry);
    modelTime = Timer.builder(PREFIX + "model.time").tag("batcher", name)
        .description("device time of one batch (backbone and heads)").register(registry);
    rejected = Counter.builder(PREFIX + "rejected").tag("batcher", name)
        .description("requests refused because the queue stayed full").register(registry);
    failedBatches = Counter.builder(PREFIX + "failed.batches").tag("batcher", name)
        .description("batches whose processing threw").register(registry);
    Gauge.builder(PREFIX + "queue.depth", queue, BlockingQueue::size).tag("batcher", name)
        .description("requests waiting").register(registry);
  }

  void recordBatch(int size, int realTokens, int padded, long modelNanos) {
    batchSize.record(size);
    batchTokens.record(realTokens);
    paddedTokens.record(padded);
    paddingRatio.record(padded == 0 ? 0 : 1.0 - (double) realTokens / padded);
    modelTime.record(modelNanos, TimeUnit.NANOSECONDS);
  }
}
