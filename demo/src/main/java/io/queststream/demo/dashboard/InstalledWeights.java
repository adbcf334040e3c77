package io.queststream.demo.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The weights version each streams app instance has installed, read from its Prometheus metrics
 * ({@code quest_weights_version}, -1 before the first install). Scores only tell which version scored the last turn;
 * a newly installed version shows here before any turn is scored with it.
 */
final class InstalledWeights {

  static final String GAUGE = "quest_weights_version";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final List<URI> metrics;

  InstalledWeights(List<URI> metrics) {
    this.metrics = List.copyOf(metrics);
  }

  /** "v3" when every instance runs v3; "v2, v3" while they differ; why not, when no instance answers. */
  String describe() {
    if (metrics.isEmpty()) {
      return "unknown (no --app-metrics-url)";
    }
    TreeSet<Long> versions = new TreeSet<>();
    for (URI uri : metrics) {
      version(uri).ifPresent(versions::add);
    }
    if (versions.isEmpty()) {
      return "unknown (app metrics not answering)";
    }
    if (versions.equals(new TreeSet<>(List.of(-1L)))) {
      return "none yet";
    }
    return String.join(", ", versions.stream().filter(v -> v >= 0).map(v -> "v" + v).toList());
  }

  private static OptionalLong version(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parse(response.body()) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  /** The gauge's value in a Prometheus text exposition, if present and a number (NaN is not version 0). */
  static OptionalLong parse(String exposition) {
    return exposition.lines()
        .filter(l -> l.startsWith(GAUGE + " ") || l.startsWith(GAUGE + "{"))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .mapToDouble(Double::parseDouble)
        .filter(Double::isFinite)
        .mapToLong(v -> (long) v)
        .findFirst();
  }
}
