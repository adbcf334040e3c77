package io.queststream.demo.infra;

import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Ports;
import io.queststream.schemas.weights.WeightsContract;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (combined KRaft broker + controller) as its own JVM, from the Kafka jars on the classpath.
 * The data directory is kept between runs; it is formatted only the first time.
 */
public final class BrokerProcess {

  private BrokerProcess() {}

  public static ManagedProcess start(String classpath, Path dataDir, int port, int controllerPort, Path logDir)
      throws IOException, InterruptedException {
    return start(classpath, dataDir, port, controllerPort, logDir, Map.of(), List.of());
  }

  /**
   * As above, with broker properties that replace or add to the defaults (e.g. SASL_SSL listeners, an authorizer)
   * and extra arguments for the storage format (e.g. {@code --add-scram} to bootstrap the admin user).
   */
  public static ManagedProcess start(String classpath, Path dataDir, int port, int controllerPort, Path logDir,
      Map<String, String> overrides, List<String> formatArgs) throws IOException, InterruptedException {
    Ports.requireFree(port, "Kafka broker");
    Ports.requireFree(controllerPort, "Kafka controller");
    Path logs = dataDir.resolve("kafka-logs");
    Files.createDirectories(logs);
    Path config = dataDir.resolve("server.properties");
    Properties props = new Properties();
    props.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.bootstrap.servers", "localhost:" + controllerPort),
        Map.entry("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + port),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", logs.toAbsolutePath().toString()),
        Map.entry("num.partitions", "3"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("message.max.bytes", String.valueOf(WeightsContract.MAX_RECORD_BYTES))));
    props.putAll(overrides);
    try (Writer w = Files.newBufferedWriter(config)) {
      props.store(w, "quest-stream demo broker");
    }
    Path log = logDir.resolve("kafka.log");
    if (!Files.exists(logs.resolve("meta.properties"))) {
      String clusterId = clusterId();
      List<String> format = new java.util.ArrayList<>(
          List.of("format", "--standalone", "-t", clusterId, "-c", config.toString()));
      format.addAll(formatArgs);
      ManagedProcess formatting = ManagedProcess.startJava("kafka-format", classpath, List.of("-Xmx256m"),
          "kafka.tools.StorageTool", format, dataDir, log, Map.of());
      int code = formatting.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
      if (code != 0) {
        throw new IOException("formatting the broker's storage failed (exit " + code + "); see " + log);
      }
    }
    return ManagedProcess.startJava("kafka", classpath, List.of("-Xmx768m", "-XX:+UseG1GC"), "kafka.Kafka",
        List.of(config.toString()), dataDir, log, Map.of());
  }

  /**
   * One node (broker and controller in one JVM) of a cluster with a controller quorum: every node votes
   * ({@code controller.quorum.voters}), topics are replicated three times and a write needs two in-sync replicas, as
   * in production. The data directory is formatted with {@code clusterId} the first time only.
   *
   * @param voters {@code id@host:controllerPort} of every node, comma-separated
   */
  public static ManagedProcess startQuorumNode(String classpath, Path dataDir, int nodeId, int port,
      int controllerPort, String voters, String clusterId, Path logDir) throws IOException, InterruptedException {
    Ports.requireFree(port, "Kafka broker " + nodeId);
    Ports.requireFree(controllerPort, "Kafka controller " + nodeId);
    Path logs = dataDir.resolve("kafka-logs");
    Files.createDirectories(logs);
    Path config = dataDir.resolve("server.properties");
    Properties props = new Properties();
    props.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", Integer.toString(nodeId)),
        Map.entry("controller.quorum.voters", voters),
        Map.entry("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + port),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", logs.toAbsolutePath().toString()),
        Map.entry("num.partitions", "3"),
        Map.entry("default.replication.factor", "3"),
        Map.entry("min.insync.replicas", "2"),
        Map.entry("offsets.topic.replication.factor", "3"),
        Map.entry("transaction.state.log.replication.factor", "3"),
        Map.entry("transaction.state.log.min.isr", "2"),
        Map.entry("share.coordinator.state.topic.replication.factor", "3"),
        Map.entry("share.coordinator.state.topic.min.isr", "2"),
        Map.entry("unclean.leader.election.enable", "false"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("message.max.bytes", String.valueOf(WeightsContract.MAX_RECORD_BYTES))));
    try (Writer w = Files.newBufferedWriter(config)) {
      props.store(w, "quest-stream chaos cluster node " + nodeId);
    }
    Path log = logDir.resolve("kafka-" + nodeId + ".log");
    if (!Files.exists(logs.resolve("meta.properties"))) {
      ManagedProcess formatting = ManagedProcess.startJava("kafka-format-" + nodeId, classpath, List.of("-Xmx256m"),
          "kafka.tools.StorageTool", List.of("format", "-t", clusterId, "-c", config.toString()), dataDir, log,
          Map.of());
      int code = formatting.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
      if (code != 0) {
        throw new IOException("formatting node " + nodeId + "'s storage failed (exit " + code + "); see " + log);
      }
    }
    return ManagedProcess.startJava("kafka-" + nodeId, classpath, List.of("-Xmx512m", "-XX:+UseG1GC"),
        "kafka.Kafka", List.of(config.toString()), dataDir, log, Map.of());
  }

  /** A new cluster id, for {@link #startQuorumNode}. */
  public static String newClusterId() {
    return clusterId();
  }

  /** Kafka's own generator: it never starts an id with '-', which the format tool would take for an option. */
  private static String clusterId() {
    return Uuid.randomUuid().toString();
  }
}
