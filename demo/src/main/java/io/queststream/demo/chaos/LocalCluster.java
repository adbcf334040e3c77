package io.queststream.demo.chaos;

import io.queststream.demo.infra.BrokerProcess;
import io.queststream.demo.infra.RegistryProcess;
import io.queststream.demo.infra.TopicSetup;
import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Ports;
import io.queststream.demo.process.Readiness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Real brokers and a real schema registry, each its own JVM, with the pipeline's topics. One broker (combined
 * broker and controller, replication factor 1), or three nodes that each run a broker and a controller: a
 * three-voter controller quorum, every topic replicated three times, writes needing two in-sync replicas. Brokers
 * can be SIGKILLed or stopped and started again on their data directories; the registry keeps its schemas on disk
 * and can be stopped and started again, as in production.
 */
public final class LocalCluster implements AutoCloseable {

  /** Start-up progress nobody watches: the run reports its own steps. */
  static final Readiness.Progress QUIET = new Readiness.Progress() {
    @Override
    public void waiting(String what, Duration elapsed) {}

    @Override
    public void ready(String what, Duration took) {}
  };

  /** Ports of one node. */
  private record Node(int id, int kafkaPort, int controllerPort) {}

  private final String classpath;
  private final Path dataDir;
  private final Path logs;
  private final Path registryHome;
  private final int registryPort;
  private final List<Node> nodes;
  private final String clusterId = BrokerProcess.newClusterId();
  private final ManagedProcess[] brokers;
  private ManagedProcess registry;

  private LocalCluster(String classpath, Path dataDir, Path registryHome, List<Node> nodes, int registryPort) {
    this.classpath = classpath;
    this.dataDir = dataDir.toAbsolutePath();
    this.logs = this.dataDir.resolve("logs");
    this.registryHome = registryHome;
    this.nodes = List.copyOf(nodes);
    this.brokers = new ManagedProcess[nodes.size()];
    this.registryPort = registryPort;
  }

  /** One combined broker and controller; starts broker and registry, creates the topics. */
  public static LocalCluster start(String classpath, Path dataDir, Path registryHome, int kafkaPort,
      int controllerPort, int registryPort, int partitions)
      throws IOException, InterruptedException, ExecutionException {
    return start(classpath, dataDir, registryHome, List.of(new Node(1, kafkaPort, controllerPort)), registryPort,
        partitions);
  }

  /**
   * {@code brokers} nodes (1, or 3 for a quorum with replication); the first node on the given ports, the others on
   * free ones. Stops whatever started if a later step fails.
   */
  public static LocalCluster start(String classpath, Path dataDir, Path registryHome, int brokers, int kafkaPort,
      int controllerPort, int registryPort, int partitions)
      throws IOException, InterruptedException, ExecutionException {
    List<Node> nodes = new ArrayList<>();
    nodes.add(new Node(1, kafkaPort, controllerPort));
    for (int id = 2; id <= brokers; id++) {
      nodes.add(new Node(id, portOrFree(0), portOrFree(0)));
    }
    return start(classpath, dataDir, registryHome, nodes, registryPort, partitions);
  }

  private static LocalCluster start(String classpath, Path dataDir, Path registryHome, List<Node> nodes,
      int registryPort, int partitions) throws IOException, InterruptedException, ExecutionException {
    LocalCluster cluster = new LocalCluster(classpath, dataDir, registryHome, nodes, registryPort);
    try {
      // The registry keeps its schemas in its own storage and needs no broker: it starts while the nodes do.
      cluster.launchRegistry();
      for (Node node : nodes) {
        cluster.launchBroker(node);
      }
      for (Node node : nodes) {
        cluster.awaitBroker(node);
      }
      TopicSetup.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()), partitions,
          (short) cluster.replicationFactor());
      cluster.awaitRegistry();
      return cluster;
    } catch (IOException | InterruptedException | ExecutionException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The port, or a port that is free now when it is 0. */
  public static int portOrFree(int port) throws IOException {
    if (port != 0) {
      return port;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public String bootstrapServers() {
    return nodes.stream().map(n -> "localhost:" + n.kafkaPort()).collect(Collectors.joining(","));
  }

  public String registryUrl() {
    return RegistryProcess.confluentApiUrl(registryPort);
  }

  public Path logs() {
    return logs;
  }

  public int brokerCount() {
    return nodes.size();
  }

  public int replicationFactor() {
    return nodes.size() >= 3 ? 3 : 1;
  }

  /** Stops the only broker (SIGTERM, controlled shutdown) and starts it again on the same data directory. */
  public Duration restartBroker() throws IOException, InterruptedException {
    long started = System.nanoTime();
    stopBroker(1);
    startBroker(1);
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** SIGKILL of a node: no controlled shutdown, leadership moves only when the controller notices. */
  public void killBroker(int id) throws InterruptedException {
    brokers[id - 1].kill();
    awaitPortsReleased(nodes.get(id - 1));
  }

  /** SIGTERM of a node: controlled shutdown, leadership handed over first. */
  public void stopBroker(int id) throws InterruptedException {
    brokers[id - 1].close();
    awaitPortsReleased(nodes.get(id - 1));
  }

  public void startBroker(int id) throws IOException, InterruptedException {
    Node node = nodes.get(id - 1);
    launchBroker(node);
    awaitBroker(node);
  }

  public boolean brokerAlive(int id) {
    return brokers[id - 1] != null && brokers[id - 1].isAlive();
  }

  /** The node leading a partition now, or -1 when it has no leader. */
  public int leaderOf(String topic, int partition) throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      var leader = d.partitions().get(partition).leader();
      return leader == null ? -1 : leader.id();
    }
  }

  /** The node whose controller leads the quorum. */
  public int activeController() throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
    }
  }

  /** The client ids of a consumer group's members now, as its coordinator sees them. */
  public Set<String> groupMembers(String groupId) throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      return admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId).members().stream()
          .map(m -> m.clientId()).collect(Collectors.toSet());
    }
  }

  /** Waits until every partition of every topic has all its replicas in sync again. */
  public void awaitFullyReplicated(Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Admin admin = admin()) {
        var topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        var described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        boolean complete = described.values().stream().flatMap(t -> t.partitions().stream())
            .allMatch(LocalCluster::fullyReplicated);
        if (complete) {
          return;
        }
      } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
        // A node is still starting; ask again.
      }
      Thread.sleep(500);
    }
    throw new IOException("partitions still under-replicated after " + timeout.toSeconds() + " s");
  }

  private static boolean fullyReplicated(TopicPartitionInfo p) {
    return p.leader() != null && p.isr().size() == p.replicas().size();
  }

  /** Stops the registry (SIGTERM); its schemas stay in its storage. */
  public void stopRegistry() {
    registry.close();
  }

  public void startRegistry() throws IOException, InterruptedException {
    launchRegistry();
    awaitRegistry();
  }

  private void launchRegistry() throws IOException {
    registry = RegistryProcess.start(registryHome, registryPort, logs, dataDir.resolve("registry"));
  }

  private void awaitRegistry() throws IOException, InterruptedException {
    Readiness.await(registry, "schema registry", Duration.ofSeconds(180),
        Readiness.httpOk("http://127.0.0.1:" + registryPort + "/health/ready"), QUIET);
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
  }

  private void launchBroker(Node node) throws IOException, InterruptedException {
    Path dir = nodes.size() == 1 ? dataDir : dataDir.resolve("node-" + node.id());
    brokers[node.id() - 1] = nodes.size() == 1
        ? BrokerProcess.start(classpath, dir, node.kafkaPort(), node.controllerPort(), logs)
        : BrokerProcess.startQuorumNode(classpath, dir, node.id(), node.kafkaPort(), node.controllerPort(), voters(),
            clusterId, logs);
  }

  private void awaitBroker(Node node) throws IOException, InterruptedException {
    Readiness.await(brokers[node.id() - 1], "Kafka broker " + node.id(), Duration.ofSeconds(180),
        () -> Ports.isListening(node.kafkaPort()), QUIET);
  }

  private String voters() {
    return nodes.stream().map(n -> n.id() + "@localhost:" + n.controllerPort()).collect(Collectors.joining(","));
  }

  private static void awaitPortsReleased(Node node) throws InterruptedException {
    for (int i = 0; i < 100 && (Ports.isListening(node.kafkaPort()) || Ports.isListening(node.controllerPort()));
        i++) {
      Thread.sleep(100);
    }
  }

  /**
   * Stops the registry and the nodes. A single node stops with a controlled shutdown (SIGTERM). The nodes of a quorum
   * are SIGKILLed: stopped one after the other, the last one would have no majority left to confirm its controlled
   * shutdown and would wait out the grace period of {@link ManagedProcess#close()}, and nothing reuses a chaos
   * cluster's data.
   */
  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
    for (ManagedProcess broker : brokers) {
      if (broker == null) {
        continue;
      }
      if (nodes.size() == 1) {
        broker.close();
      } else {
        try {
          broker.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
