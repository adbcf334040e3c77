package io.queststream.streams.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.queststream.config.ConfigException;
import io.queststream.streams.batching.BatchingLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /admin/batching: GET answers the micro-batching limits in force; POST with a JSON object of new values, e.g.
 * {"batch.max-size": 16, "batch.max-wait-ms": 20}, changes them (all or none) and answers the limits then in force.
 * Every request needs "Authorization: Bearer TOKEN" with the app's http.admin-token; without a configured token the
 * endpoint is off. A refused change answers 400 with the reason and leaves the limits as they were.
 */
final class BatchingAdmin implements HttpHandler {

  /** Largest request body read; the four limits fit in a fraction of it. */
  static final int MAX_BODY_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BatchingLimits limits;
  private final byte[] expectedAuthorization;

  BatchingAdmin(BatchingLimits limits, String token) {
    this.limits = limits;
    this.expectedAuthorization = token.isBlank() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (expectedAuthorization == null) {
      error(ex, 404, "the admin endpoint is off: no http.admin-token is configured");
      return;
    }
    String given = ex.getRequestHeaders().getFirst("Authorization");
    if (given == null || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8))) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      error(ex, 401, "a valid admin token is required");
      return;
    }
    switch (ex.getRequestMethod()) {
      case "GET" -> answer(ex, 200, BatchingLimits.asSettings(limits.get()));
      case "POST" -> change(ex);
      default -> error(ex, 405, "GET or POST");
    }
  }

  private void change(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      error(ex, 413, "the body is longer than " + MAX_BODY_BYTES + " bytes");
      return;
    }
    Map<String, String> values = new LinkedHashMap<>();
    try {
      JsonNode tree = JSON.readTree(body);
      if (tree == null || !tree.isObject()) {
        error(ex, 400, "the body must be a JSON object of settings and values");
        return;
      }
      for (Map.Entry<String, JsonNode> e : tree.properties()) {
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          error(ex, 400, e.getKey() + " must be a number");
          return;
        }
        values.put(e.getKey(), e.getValue().asText());
      }
      answer(ex, 200, BatchingLimits.asSettings(limits.change(values)));
    } catch (JsonProcessingException e) {
      error(ex, 400, "the body is not JSON: " + e.getOriginalMessage());
    } catch (ConfigException e) {
      error(ex, 400, e.getMessage());
    }
  }

  private static void answer(HttpExchange ex, int status, Map<String, String> limits) throws IOException {
    HealthServer.respond(ex, status, "application/json", JSON.writeValueAsString(limits));
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    HealthServer.respond(ex, status, "application/json", JSON.writeValueAsString(Map.of("error", message)));
  }
}
