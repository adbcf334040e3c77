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
import java.util.concurrent.ExecutionException;

/**
 * A real broker and a real schema registry, each its own JVM, with the pipeline's topics. The broker can be stopped
 * and started again on the same data directory, as an operator restart would.
 */
public final class LocalCluster implements AutoCloseable {

  /** Start-up progress nobody watches: the run reports its own steps. */
  static final Readiness.Progress QUIET = new Readiness.Progress() {
    @Override
    public void waiting(String what, Duration elapsed) {}

    @Override
    public void ready(String what, Duration took) {}
  };

  private final String classpath;
  private final Path dataDir;
  private final Path logs;
  private final int kafkaPort;
  private final int controllerPort;
  private final int registryPort;
  private ManagedProcess broker;
  private ManagedProcess registry;

  private LocalCluster(String classpath, Path dataDir, int kafkaPort, int controllerPort, int registryPort) {
    this.classpath = classpath;
    this.dataDir = dataDir.toAbsolutePath();
    this.logs = this.dataDir.resolve("logs");
    this.kafkaPort = kafkaPort;
    this.controllerPort = controllerPort;
    this.registryPort = registryPort;
  }

  /** Starts broker and registry, creates the topics; stops whatever started if a later step fails. */
  public static LocalCluster start(String classpath, Path dataDir, Path registryHome, int kafkaPort,
      int controllerPort, int registryPort, int partitions)
      throws IOException, InterruptedException, ExecutionException {
    LocalCluster cluster = new LocalCluster(classpath, dataDir, kafkaPort, controllerPort, registryPort);
    try {
      cluster.startBroker();
      TopicSetup.create(cluster.bootstrapServers(), partitions);
      cluster.registry = RegistryProcess.start(registryHome, registryPort, cluster.logs);
      Readiness.await(cluster.registry, "schema registry", Duration.ofSeconds(120),
          Readiness.httpOk("http://127.0.0.1:" + registryPort + "/health/ready"), QUIET);
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
    return "localhost:" + kafkaPort;
  }

  public String registryUrl() {
    return RegistryProcess.confluentApiUrl(registryPort);
  }

  public Path logs() {
    return logs;
  }

  /** Stops the broker (SIGTERM, controlled shutdown) and starts it again on the same data directory. */
  public Duration restartBroker() throws IOException, InterruptedException {
    long started = System.nanoTime();
    broker.close();
    awaitPortReleased();
    startBroker();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private void startBroker() throws IOException, InterruptedException {
    broker = BrokerProcess.start(classpath, dataDir, kafkaPort, controllerPort, logs);
    Readiness.await(broker, "Kafka broker", Duration.ofSeconds(120), () -> Ports.isListening(kafkaPort), QUIET);
  }

  private void awaitPortReleased() throws InterruptedException {
    for (int i = 0; i < 100 && (Ports.isListening(kafkaPort) || Ports.isListening(controllerPort)); i++) {
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }
}
