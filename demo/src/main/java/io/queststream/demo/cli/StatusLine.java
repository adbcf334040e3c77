package io.queststream.demo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** One line of live numbers for the terminal, read from the dashboard's summary. */
final class StatusLine {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusLine() {}

  static String of(String summaryJson) throws IOException {
    JsonNode s = JSON.readTree(summaryJson);
    return String.format("scored %d · %.1f/s · p95 %s ms · moderated %d · dead letters %d · weights %s",
        s.path("scores").asLong(), s.path("scoresPerSecond10s").asDouble(),
        s.path("latencyMs").path("p95").asText("-"), s.path("moderated").asLong(), s.path("dlq").asLong(),
        s.path("installedWeights").asText());
  }
}
