package io.queststream.streams.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Samples the committed offsets and input lag of this instance's active tasks (Kafka Streams' own task metadata)
 * into the {@link StallDetector}, and publishes them: {@code quest_input_lag_records},
 * {@code quest_processing_stalled} (1 while stalled) and {@code quest_processing_progress_age_seconds}.
 */
public final class ProcessingProgress {

  private final StallDetector detector;
  private final DependencyHealth health;

  public ProcessingProgress(StallDetector detector, DependencyHealth health, MeterRegistry registry) {
    this.detector = detector;
    this.health = health;
    Gauge.builder("quest.input.lag.records", detector, StallDetector::lag)
        .description("Input records this instance's tasks have not committed yet").register(registry);
    Gauge.builder("quest.processing.stalled", detector, d -> d.stall().isPresent() ? 1 : 0)
        .description("1 while input waits and nothing was committed for health.stall-timeout-ms").register(registry);
    Gauge.builder("quest.processing.progress.age.seconds", detector, d -> d.sinceProgress().toMillis() / 1000.0)
        .description("Seconds since offsets were last committed or nothing waited").register(registry);
  }

  /** One sample from the threads' metadata. */
  public void sample(Collection<ThreadMetadata> threads) {
    Map<TopicPartition, Long> committed = new HashMap<>();
    long lag = 0;
    for (ThreadMetadata thread : threads) {
      for (TaskMetadata task : thread.activeTasks()) {
        for (Map.Entry<TopicPartition, Long> end : task.endOffsets().entrySet()) {
          Long done = task.committedOffsets().get(end.getKey());
          long position = done == null || done < 0 ? 0 : done;
          committed.put(end.getKey(), position);
          lag += Math.max(0, end.getValue() - position);
        }
      }
    }
    if (detector.observe(committed, lag)) {
      health.progressed();
    }
  }
}
