package io.queststream.streams.health;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which state stores are being restored from their changelogs, for readiness and the log. Thread-safe. */
public final class RestoreTracker implements StateRestoreListener {

  private static final Logger LOG = LoggerFactory.getLogger(RestoreTracker.class);

  private record Restoring(String store, long end, long restored) {}

  private final Map<TopicPartition, Restoring> restoring = new ConcurrentHashMap<>();

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    LOG.info("Restoring store {} from {} offsets {} to {}", store, partition, startingOffset, endingOffset);
    restoring.put(partition, new Restoring(store, endingOffset, startingOffset));
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    restoring.computeIfPresent(partition, (p, r) -> new Restoring(r.store(), r.end(), batchEndOffset));
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    LOG.info("Restored store {} from {}: {} records", store, partition, totalRestored);
    restoring.remove(partition);
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    restoring.remove(partition);
  }

  /** "restoring state: ..." while any store restores. */
  public Optional<String> reason() {
    if (restoring.isEmpty()) {
      return Optional.empty();
    }
    long left = restoring.values().stream().mapToLong(r -> Math.max(0, r.end() - r.restored())).sum();
    return Optional.of("restoring state: " + restoring.size() + " store partitions, about " + left
        + " changelog records left");
  }
}
