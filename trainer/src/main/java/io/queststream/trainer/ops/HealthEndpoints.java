package io.queststream.trainer.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * /health/live (the process answers), /health/ready (feedback replayed, the consumer polling, no dependency
 * failing; otherwise 503 with the reasons) for probes, and
 * /metrics in the Prometheus text format.
 */
public final class HealthEndpoints implements AutoCloseable {

  private final HttpServer server;

  /**
   * @param notReady why the trainer is not ready (empty: ready); the reasons are the 503 answer's body
   */
  public HealthEndpoints(String host, int port, Supplier<List<String>> notReady, PrometheusMeterRegistry registry)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/health/live", ex -> respond(ex, 200, "text/plain; charset=utf-8", "live"));
    server.createContext("/health/ready", ex -> {
      List<String> reasons = notReady.get();
      respond(ex, reasons.isEmpty() ? 200 : 503, "text/plain; charset=utf-8",
          reasons.isEmpty() ? "ready" : String.join("\n", reasons));
    });
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
        registry.scrape()));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
