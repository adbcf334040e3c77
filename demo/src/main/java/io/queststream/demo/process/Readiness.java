package io.queststream.demo.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a child to become usable, failing early if it dies and reporting progress while it waits. */
public final class Readiness {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /**
   * How often {@link #await} checks: a check is a port probe or one HTTP request and costs next to nothing, while each
   * start waits half an interval on average after the child is ready (the tests start dozens of children).
   */
  private static final Duration POLL_EVERY = Duration.ofMillis(100);

  private Readiness() {}

  public static void await(ManagedProcess process, String what, Duration timeout, BooleanSupplier ready,
      Progress progress) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IOException(what + " exited during start-up; see " + process.log());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(what + " not ready after " + timeout.toSeconds() + " s; see " + process.log());
      }
      progress.waiting(what, Duration.ofNanos(System.nanoTime() - start));
      Thread.sleep(POLL_EVERY.toMillis());
    }
    progress.ready(what, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Waits for a one-shot child to finish; fails unless it exits with 0. */
  public static void awaitSuccess(ManagedProcess process, String what, Duration timeout, Progress progress)
      throws IOException, InterruptedException {
    awaitSuccess(process, what, timeout, progress, Optional::empty);
  }

  /**
   * As {@link #awaitSuccess(ManagedProcess, String, Duration, Progress)}, showing what the child is doing while it
   * works (for example its latest log message).
   */
  public static void awaitSuccess(ManagedProcess process, String what, Duration timeout, Progress progress,
      Supplier<Optional<String>> doing) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (process.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new IOException(what + " not done after " + timeout.toSeconds() + " s; see " + process.log());
      }
      progress.waiting(doing.get().map(d -> what + " (" + d + ")").orElse(what),
          Duration.ofNanos(System.nanoTime() - start));
      Thread.sleep(500);
    }
    int code = process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
    if (code != 0) {
      throw new IOException(what + " failed (exit " + code + "); see " + process.log());
    }
    progress.ready(what, Duration.ofNanos(System.nanoTime() - start));
  }

  public static BooleanSupplier httpOk(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    return () -> {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }

  /** Where start-up progress is shown. */
  public interface Progress {
    void waiting(String what, Duration elapsed);

    void ready(String what, Duration took);
  }
}
