package io.queststream.demo.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Samples what a running instance holds: its resident memory (Linux /proc) and the largest consumer lag its
 * /metrics endpoint reports (Kafka's records-lag-max, in records). Peaks show whether memory stays bounded while lag
 * grows.
 */
final class InstanceGauges {

  private static final String LAG = "kafka_consumer_fetch_manager_records_lag_max";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private long peakRssBytes;
  private double peakLag;

  synchronized void sample(List<ScoringInstance> instances) {
    for (ScoringInstance instance : instances) {
      if (!instance.isAlive()) {
        continue;
      }
      residentBytes(instance.pid()).ifPresent(rss -> peakRssBytes = Math.max(peakRssBytes, rss));
      peakLag = Math.max(peakLag, lag(instance.httpPort()));
    }
  }

  synchronized long peakRssMiB() {
    return peakRssBytes / (1024 * 1024);
  }

  synchronized long peakLag() {
    return Math.round(peakLag);
  }

  private static OptionalLong residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  private static double lag(int port) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(2)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofLines()).body()
          .filter(l -> l.startsWith(LAG))
          .mapToDouble(l -> parse(l.substring(l.lastIndexOf(' ') + 1)))
          .max().orElse(0);
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static double parse(String value) {
    try {
      double v = Double.parseDouble(value);
      return Double.isFinite(v) ? v : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
