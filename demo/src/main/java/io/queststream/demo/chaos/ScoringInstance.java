package io.queststream.demo.chaos;

import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Readiness;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One streams-app JVM started with {@code run}, as an operator would start it; its state directory, model cache and
 * temp directory are its own and survive restarts. Killing it is SIGKILL: no shutdown hook, no commit, no flush.
 */
public final class ScoringInstance implements AutoCloseable {

  static final String STREAMS_MAIN = "io.queststream.streams.cli.StreamsAppCommand";

  private final String name;
  private final String classpath;
  private final Path home;
  private final Path log;
  private final List<String> settings;
  private final int httpPort;
  private final String maxHeap;
  private ManagedProcess process;
  private int starts;

  /**
   * @param settings {@code key=value} application and Kafka settings
   */
  public ScoringInstance(String name, String classpath, Path home, Path log, List<String> settings)
      throws IOException {
    this(name, classpath, home, log, settings, "1g");
  }

  /**
   * @param maxHeap the JVM's -Xmx, e.g. {@code 384m}
   */
  public ScoringInstance(String name, String classpath, Path home, Path log, List<String> settings, String maxHeap)
      throws IOException {
    this.name = name;
    this.maxHeap = maxHeap;
    this.classpath = classpath;
    this.home = home.toAbsolutePath();
    this.log = log;
    this.settings = List.copyOf(settings);
    this.httpPort = LocalCluster.portOrFree(0);
    Files.createDirectories(this.home.resolve("tmp"));
  }

  /**
   * Starts the JVM with its settings in a properties file readable only by its owner ({@code run --config}), so
   * credentials never show on a command line.
   */
  public void start() throws IOException {
    List<String> all = new ArrayList<>(settings);
    // Names the instance's clients (e.g. its group members) after it.
    all.add("client.id=" + name);
    all.add("state.dir=" + home.resolve("state"));
    all.add("model.cache-dir=" + home.resolve("models"));
    all.add("http.port=" + httpPort);
    Properties p = new Properties();
    for (String s : all) {
      int eq = s.indexOf('=');
      p.setProperty(s.substring(0, eq), s.substring(eq + 1));
    }
    Path config = home.resolve("app.properties");
    Files.deleteIfExists(config);
    Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer w = Files.newBufferedWriter(config)) {
      p.store(w, name);
    }
    starts++;
    process = ManagedProcess.startJava(name, classpath,
        List.of("-Xmx" + maxHeap, "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + home.resolve("tmp")), STREAMS_MAIN,
        List.of("run", "--config", config.toString()), home, log,
        Map.of("DJL_OFFLINE", "true", "RUST_FLAVOR", "cpu"));
  }

  /** Waits for /health/ready: model warm, weights installed, Kafka Streams RUNNING. */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Readiness.await(process, name, timeout, Readiness.httpOk("http://127.0.0.1:" + httpPort + "/health/ready"),
        LocalCluster.QUIET);
  }

  /** SIGKILL, then waits for the process to be gone. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /** SIGTERM: a graceful shutdown (commit, leave the group), as a scale-in or a rolling deploy does. */
  public void stop() {
    process.close();
  }

  /** SIGSTOP: the JVM freezes, heartbeats and all, as in a long GC pause or a frozen VM. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** The state directory (stores, checkpoints), e.g. to empty it as a replacement node would have it. */
  public Path stateDir() {
    return home.resolve("state");
  }

  /** /health/ready now: 200 or 503 and the reasons; empty when the endpoint does not answer. */
  public java.util.Optional<String> readiness() {
    return AppMetrics.get("http://127.0.0.1:" + httpPort + "/health/ready");
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  /** The Prometheus endpoint of the running JVM. */
  public String metricsUrl() {
    return "http://127.0.0.1:" + httpPort + "/metrics";
  }


  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

  /** How often this instance's JVM was started (a restart by a test or a fault counts). */
  public int starts() {
    return starts;
  }
}
