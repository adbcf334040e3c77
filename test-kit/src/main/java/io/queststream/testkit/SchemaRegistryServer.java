package io.queststream.testkit;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry: Apicurio Registry as a child JVM on a free localhost port, serving the Confluent Schema
 * Registry API under {@code /apis/ccompat/v7}. Its storage is in memory, or, for tests that stop and start it, an H2
 * database in a directory, so that schema ids survive a restart as they do in a production registry.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  /** Where the build unpacks the registry (module test-kit, phase generate-resources). */
  public static final String HOME_PROPERTY = "quest.testkit.registry.home";

  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
  /** As long as the container stack allows: on two busy cores the registry alone has taken 50 s to start. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

  private final int port;
  private final Path logFile;
  private final Path storage;
  private Process process;
  private Thread killOnExit;

  private SchemaRegistryServer(int port, Path logFile, Path storage) {
    this.port = port;
    this.logFile = logFile;
    this.storage = storage;
  }

  /** A registry with in-memory storage. */
  public static SchemaRegistryServer start() throws IOException, InterruptedException {
    return start(null);
  }

  /**
   * A registry that keeps its schemas in an H2 database under {@code storageDir}, so that {@link #stop()} and
   * {@link #restart()} keep every schema id, as a production registry does.
   */
  public static SchemaRegistryServer startPersistent(Path storageDir) throws IOException, InterruptedException {
    Files.createDirectories(storageDir);
    return start(storageDir.toAbsolutePath());
  }

  private static SchemaRegistryServer start(Path storage) throws IOException, InterruptedException {
    int port = freePort();
    SchemaRegistryServer server = new SchemaRegistryServer(port,
        Files.createTempFile("schema-registry-" + port + "-", ".log"), storage);
    server.launch();
    return server;
  }

  private void launch() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Path home = locateHome();
    Path runner = findRunnerJar(home);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
        "-Dquarkus.log.level=WARN", "-Dquarkus.banner.enabled=false", "-jar", runner.toString()))
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    if (storage != null) {
      builder.environment().put("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + storage.resolve("registry"));
    }
    process = builder.start();
    killOnExit = new Thread(process::destroyForcibly, "schema-registry-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    try {
      awaitReady();
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop();
      throw e;
    }
    log.info("Started real schema registry (Apicurio, pid {}) at {} in {} ms; log: {}",
        process.pid(), url(), (System.nanoTime() - t0) / 1_000_000, logFile);
  }

  /** Starts the registry again on the same port (and storage) after {@link #stop()}. */
  public void restart() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the registry on port " + port + " is running");
    }
    launch();
  }

  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:PORT/apis/ccompat/v7. */
  public String url() {
    return baseUrl() + "/apis/ccompat/v7";
  }

  /** Base URL of the server itself (Apicurio's native API lives under /apis/registry/v2). */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("schema registry exited with code " + process.exitValue() + "; see " + logFile);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IOException("schema registry not ready after " + STARTUP_TIMEOUT + "; see " + logFile);
  }

  private static Path locateHome() throws IOException {
    String configured = System.getProperty(HOME_PROPERTY);
    if (configured != null) {
      return Paths.get(configured);
    }
    for (File dir = new File("").getAbsoluteFile(); dir != null; dir = dir.getParentFile()) {
      Path candidate = dir.toPath().resolve("test-kit/target/apicurio");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IOException("schema registry not unpacked: build module test-kit first (mvn -am ...), or set -D"
        + HOME_PROPERTY);
  }

  private static Path findRunnerJar(Path home) throws IOException {
    try (Stream<Path> files = Files.list(home)) {
      return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new IOException("no *-runner.jar in " + home));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s); the port then refuses connections. */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing left to do
    }
    process = null;
    log.info("Stopped schema registry on port {}", port);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
