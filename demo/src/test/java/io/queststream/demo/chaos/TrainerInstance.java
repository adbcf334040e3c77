package io.queststream.demo.chaos;

import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Readiness;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code trainer run} JVM, started as an operator would, on a data directory that survives restarts. Its log is
 * read as it grows so a kill can be timed to a step (a training run starting, a version being committed).
 */
final class TrainerInstance implements AutoCloseable {

  static final String TRAINER_MAIN = "io.queststream.trainer.cli.TrainerCommand";

  private final String classpath;
  private final Path home;
  private final Path config;
  private final Path log;
  private final int httpPort;
  private ManagedProcess process;
  private long logOffset;
  private final StringBuilder partialLine = new StringBuilder();
  /** The last lines read, for a failure message; the Kafka clients' connection warnings left out. */
  private final Deque<String> recentLines = new ArrayDeque<>();

  private static final int RECENT_LINES = 60;

  TrainerInstance(String classpath, Path home, Path config, Path log, int httpPort) {
    this.classpath = classpath;
    this.home = home;
    this.config = config;
    this.log = log;
    this.httpPort = httpPort;
  }

  void start() throws IOException {
    Files.createDirectories(home.resolve("tmp"));
    process = ManagedProcess.startJava("trainer", classpath,
        List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + home.resolve("tmp")),
        TRAINER_MAIN, List.of("-c", config.toString(), "run"), home, log, Map.of());
  }

  /** Waits for /health/ready: feedback replayed from the data directory, the consumer polling. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Readiness.await(process, "trainer", timeout, Readiness.httpOk(url("/health/ready")), LocalCluster.QUIET);
  }

  /** SIGKILL: no shutdown hook, no flush, no commit; whatever transaction was open stays open. */
  void kill() throws InterruptedException {
    process.kill();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Waits for the process to exit on its own; its exit status, or -1 if it still runs after the timeout. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Reads the log as it grows until a line matches, polling every millisecond so that a kill follows the line as
   * closely as this machine allows; empty when the timeout passes first.
   */
  Optional<String> awaitLogLine(Predicate<String> matches, Duration timeout) throws IOException,
      InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : newLogLines()) {
        if (matches.test(line)) {
          return Optional.of(line);
        }
      }
      Thread.sleep(1);
    }
    return Optional.empty();
  }

  /** Skips the log written so far. */
  void skipLog() throws IOException {
    newLogLines();
  }

  private List<String> newLogLines() throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(log)) {
      return lines;
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (length <= logOffset) {
        return lines;
      }
      byte[] bytes = new byte[(int) (length - logOffset)];
      f.seek(logOffset);
      f.readFully(bytes);
      logOffset = length;
      partialLine.append(new String(bytes, StandardCharsets.UTF_8));
    }
    int newline;
    while ((newline = partialLine.indexOf("\n")) >= 0) {
      String line = partialLine.substring(0, newline);
      lines.add(line);
      remember(line);
      partialLine.delete(0, newline + 1);
    }
    return lines;
  }

  private void remember(String line) {
    if (line.contains("o.apache.kafka.clients.NetworkClient")) {
      return;
    }
    if (recentLines.size() == RECENT_LINES) {
      recentLines.removeFirst();
    }
    recentLines.addLast(line);
  }

  /** The last lines read from the log (skipped ones included), without the clients' connection warnings. */
  String recentLog() {
    return String.join("\n", recentLines);
  }

  String scrapeMetrics() throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/metrics")))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("/metrics answered " + r.statusCode());
    }
    return r.body();
  }

  Path log() {
    return log;
  }

  private String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** SIGTERM: the trainer stops consuming, finishes a running training run and exits. */
  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
