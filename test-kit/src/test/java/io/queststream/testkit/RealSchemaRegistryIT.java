package io.queststream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@RealSchemaRegistry
class RealSchemaRegistryIT {

  static SchemaRegistryServer registry;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void registersASchemaAndServesItByIdThroughTheConfluentApi() throws Exception {
    String schema = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}";
    HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
            URI.create(registry.url() + "/subjects/probe-value/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"" + schema + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).isEqualTo(200);
    String id = registered.body().replaceAll("[^0-9]", "");

    HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(
        URI.create(registry.url() + "/schemas/ids/" + id)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.body()).contains("Probe");
  }
}
