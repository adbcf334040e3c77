package io.queststream.demo.leaderboard;

import io.queststream.demo.infra.ClusterOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the current leaderboards, policy ratings and drift alerts from the streams app's analytics topics. */
@Command(name = "leaderboard", mixinStandardHelpOptions = true,
    description = {"Prints the current leaderboards: per policy model and per character, the newest window's turns, "
        + "mean preference score with its t interval, moderation rate and attribute means; the policy models' "
        + "Elo ratings from live preference pairs; and the latest drift alerts.",
        "Reads the committed records of leaderboards, policy-ratings and drift-alerts from their start."})
public final class LeaderboardCommand implements Callable<Integer> {

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--alerts", defaultValue = "10", description = "Drift alerts to show, newest first (default: ${DEFAULT-VALUE}).")
  int alertsShown;

  @Option(names = "--timeout", defaultValue = "PT30S",
      description = "How long to wait for the cluster, ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    LeaderboardTables tables = new LeaderboardTables();
    AnalyticsTopics topics = new AnalyticsTopics(Map.of("schema.registry.url", cluster.registryUrl));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : AnalyticsTopics.ALL) {
        consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          System.err.println("Timed out reading the analytics topics after " + timeout);
          return 1;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          topics.fold(r, tables);
        }
      }
    }
    LeaderboardPrinter.print(tables, alertsShown, System.out);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LeaderboardCommand()).execute(args));
  }
}
