package io.queststream.demo.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples what the instances hold while the run goes on: the largest resident memory of one instance (Linux /proc)
 * and the application's consumer lag on the input topic (end offsets minus the group's committed offsets, as an
 * operator's lag monitor sees it). Peaks show whether memory stays bounded while lag grows.
 */
final class InstanceGauges implements AutoCloseable {

  private final Admin admin;
  private final String groupId;
  private final String inputTopic;
  private long peakRssBytes;
  private long peakLag;

  InstanceGauges(Map<String, Object> adminConfig, String groupId, String inputTopic) {
    this.admin = Admin.create(adminConfig);
    this.groupId = groupId;
    this.inputTopic = inputTopic;
  }

  synchronized void sample(List<ScoringInstance> instances) {
    for (ScoringInstance instance : instances) {
      if (instance.isAlive()) {
        residentBytes(instance.pid()).ifPresent(rss -> peakRssBytes = Math.max(peakRssBytes, rss));
      }
    }
    lag().ifPresent(lag -> peakLag = Math.max(peakLag, lag));
  }

  synchronized long peakRssMiB() {
    return peakRssBytes / (1024 * 1024);
  }

  synchronized long peakLag() {
    return peakLag;
  }

  /** Partitions of the input topic the group has committed an offset for; 0 while the broker is away. */
  int committedPartitions() {
    try {
      return committedOffsets().size();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> committedOffsets()
      throws ExecutionException, TimeoutException, InterruptedException {
    return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(2, TimeUnit.SECONDS)
        .entrySet().stream().filter(e -> e.getKey().topic().equals(inputTopic) && e.getValue() != null)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** The group's lag now; empty while the broker is away or the group has committed nothing yet. */
  OptionalLong lag() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets();
      if (committed.isEmpty()) {
        return OptionalLong.empty();
      }
      Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
          .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get(2, TimeUnit.SECONDS);
      return OptionalLong.of(committed.entrySet().stream()
          .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset())).sum());
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  static OptionalLong residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  @Override
  public void close() {
    admin.close();
  }
}
