package io.queststream.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real single-node Kafka cluster (combined KRaft broker + controller) running inside the test JVM. */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private static final AtomicInteger topicCounter = new AtomicInteger();

  private final KafkaClusterTestKit cluster;
  private final Admin admin;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.admin = cluster.admin();
  }

  /** Formats and starts a fresh cluster, configured so transactions work with one broker. */
  public static KafkaBroker start() throws Exception {
    long t0 = System.nanoTime();
    TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .setBootstrapMetadata(productionDefaults())
        .build();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "4")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("transaction.state.log.num.partitions", "4")
        .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
        .setConfigProp("share.coordinator.state.topic.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("auto.create.topics.enable", "false")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    KafkaBroker broker = new KafkaBroker(cluster);
    log.info("Started real Kafka broker (KRaft, in-JVM) at {} in {} ms",
        broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    return broker;
  }

  /**
   * The metadata version and feature levels that {@code kafka-storage format} gives a new production cluster
   * (transactions v2 among them), so tests see the protocol a freshly installed broker speaks.
   */
  private static BootstrapMetadata productionDefaults() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> features = new HashMap<>();
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      if (feature != Feature.KRAFT_VERSION) {
        features.put(feature.featureName(), feature.defaultLevel(version));
      }
    }
    return BootstrapMetadata.fromVersions(version, features, "quest-stream test kit");
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** An admin client shared by tests; closed with the broker. */
  public Admin admin() {
    return admin;
  }

  /** Creates a topic (replication factor 1) if it does not exist yet. */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
    try {
      admin.createTopics(List.of(topic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create topic " + name, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /** A topic name not used before in this run, so tests sharing the broker do not see each other's records. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + topicCounter.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  @Override
  public void close() throws Exception {
    admin.close();
    cluster.close();
    log.info("Stopped real Kafka broker");
  }
}
