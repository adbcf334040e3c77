package io.queststream.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queststream.model.api.WeightsVersion;
import io.queststream.streams.metrics.ScoringMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard header reads each app instance's installed weights version from the metrics the app exports. */
class InstalledWeightsTest {

  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void givenTwoInstancesOnTheSameVersion_whenDescribed_thenThatVersion() throws IOException {
    InstalledWeights installed = new InstalledWeights(List.of(app(3), app(3)));

    assertThat(installed.describe()).isEqualTo("v3");
  }

  @Test
  void givenInstancesMidSwap_whenDescribed_thenBothVersions() throws IOException {
    InstalledWeights installed = new InstalledWeights(List.of(app(4), app(3)));

    assertThat(installed.describe()).isEqualTo("v3, v4");
  }

  @Test
  void givenAnAppWithoutWeightsYet_whenDescribed_thenNoneYet() throws IOException {
    InstalledWeights installed = new InstalledWeights(List.of(app(-1)));

    assertThat(installed.describe()).isEqualTo("none yet");
  }

  @Test
  void givenNoAppAnswering_whenDescribed_thenUnknownWithTheReason() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }

    assertThat(new InstalledWeights(List.of(URI.create("http://127.0.0.1:" + closed + "/metrics"))).describe())
        .isEqualTo("unknown (app metrics not answering)");
    assertThat(new InstalledWeights(List.of()).describe()).isEqualTo("unknown (no --app-metrics-url)");
  }

  @Test
  void givenAGaugeThatReadsNaN_whenParsed_thenNoVersion() {
    String exposition = "# TYPE quest_weights_version gauge\nquest_weights_version NaN\n";

    assertThat(InstalledWeights.parse(exposition)).isEmpty();
    assertThat(InstalledWeights.parse("quest_weights_version 5.0\n")).hasValue(5);
  }

  /** An app's metrics endpoint: the streams app's own meters in the Prometheus text format. */
  private URI app(long version) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ScoringMetrics metrics = new ScoringMetrics(registry);
    if (version >= 0) {
      metrics.weightsInstalled(new WeightsVersion("quest-rm", version, "minilm"));
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", ex -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }
}
