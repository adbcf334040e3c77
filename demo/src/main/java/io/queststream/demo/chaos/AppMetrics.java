package io.queststream.demo.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What one scrape of a streams-app's /metrics says about its memory and its micro-batch buffer: JVM heap used,
 * committed and max (summed over the heap pools) and the assistant turns waiting in the buffer.
 */
record AppMetrics(long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes, long pendingTurns) {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** Empty when the endpoint does not answer (the JVM is starting, stopping or gone). */
  static Optional<AppMetrics> scrape(String url) {
    return get(url).filter(body -> body.startsWith("200 ")).map(body -> parse(body.substring(4)));
  }

  /** The status code, a space and the body; empty when nothing answers. */
  static Optional<String> get(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      return Optional.of(r.statusCode() + " " + r.body());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Reads the Prometheus text format: Micrometer's JVM memory meters and the app's quest_batch_pending gauge. */
  static AppMetrics parse(String text) {
    long used = 0;
    long committed = 0;
    long max = 0;
    long pending = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      boolean heap = line.contains("area=\"heap\"");
      if (heap && line.startsWith("jvm_memory_used_bytes{")) {
        used += value(line);
      } else if (heap && line.startsWith("jvm_memory_committed_bytes{")) {
        committed += value(line);
      } else if (heap && line.startsWith("jvm_memory_max_bytes{")) {
        max += Math.max(0, value(line));
      } else if (line.startsWith("quest_batch_pending ") || line.startsWith("quest_batch_pending{")) {
        pending = value(line);
      }
    }
    return new AppMetrics(used, committed, max, pending);
  }

  private static long value(String line) {
    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
  }
}
