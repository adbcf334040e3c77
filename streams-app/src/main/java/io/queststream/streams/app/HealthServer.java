package io.queststream.streams.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * /health/live, /health/ready (503 with the reasons until ready), /metrics (Prometheus text format) and, with an
 * admin token configured, /admin/batching ({@link BatchingAdmin}).
 */
public final class HealthServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;

  public HealthServer(String host, int port, ScoringApp app, PrometheusMeterRegistry registry) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    server.createContext("/health/live", ex -> {
      boolean live = app.live();
      respond(ex, live ? 200 : 503, "application/json",
          JSON.writeValueAsString(Map.of("live", live, "state", app.state().toString())));
    });
    server.createContext("/health/ready", ex -> {
      Readiness r = app.readiness();
      respond(ex, r.ready() ? 200 : 503, "application/json",
          JSON.writeValueAsString(Map.of("ready", r.ready(), "reasons", r.reasons())));
    });
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
        registry.scrape()));
    server.createContext("/admin/batching", new BatchingAdmin(app.batchingLimits(), app.config().httpAdminToken()));
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "health-http");
      t.setDaemon(true);
      return t;
    }));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
