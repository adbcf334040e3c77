package io.queststream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.streams.batching.BatchingLimits;
import io.queststream.streams.config.AppConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint over real HTTP: who may change the batching limits, and what a hostile request gets. */
class BatchingAdminTest {

  private static final String TOKEN = "s3cret-admin-token";

  private final BatchingLimits limits = new BatchingLimits(AppConfig.defaults().batching(), new SimpleMeterRegistry());
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer server;

  private URI serve(String token) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/admin/batching", new BatchingAdmin(limits, token));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/admin/batching");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private HttpResponse<String> post(URI uri, String authorization, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void givenTheToken_whenNewLimitsArePosted_thenTheyAreInForceAndAnswered() throws Exception {
    URI uri = serve(TOKEN);

    HttpResponse<String> r = post(uri, "Bearer " + TOKEN, "{\"batch.max-size\": 8, \"batch.max-wait-ms\": \"20\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"batch.max-size\":\"8\",\"batch.token-budget\":\"8192\","
        + "\"batch.max-wait-ms\":\"20\",\"batch.max-in-flight\":\"64\"}");
    assertThat(limits.get().maxSize()).isEqualTo(8);
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.body()).isEqualTo(r.body());
  }

  @Test
  void givenNoTokenOrAWrongOne_thenTheRequestIsRefusedAndNothingChanges() throws Exception {
    URI uri = serve(TOKEN);

    assertThat(post(uri, null, "{\"batch.max-size\": 1}").statusCode()).isEqualTo(401);
    assertThat(post(uri, "Bearer " + TOKEN + "x", "{\"batch.max-size\": 1}").statusCode()).isEqualTo(401);
    assertThat(post(uri, TOKEN, "{\"batch.max-size\": 1}").statusCode()).isEqualTo(401);
    assertThat(limits.get()).isEqualTo(AppConfig.defaults().batching());
  }

  @Test
  void givenNoConfiguredToken_thenTheEndpointIsOffEvenForAnEmptyBearer() throws Exception {
    URI uri = serve("");

    HttpResponse<String> r = post(uri, "Bearer ", "{\"batch.max-size\": 1}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no http.admin-token is configured");
    assertThat(limits.get()).isEqualTo(AppConfig.defaults().batching());
  }

  @Test
  void givenHostileBodies_thenEachIsRefusedWithItsReasonAndNothingChanges() throws Exception {
    URI uri = serve(TOKEN);
    String auth = "Bearer " + TOKEN;

    HttpResponse<String> huge = post(uri, auth, "{\"batch.max-size\": \"" + "9".repeat(5000) + "\"}");
    HttpResponse<String> notJson = post(uri, auth, "batch.max-size=1");
    HttpResponse<String> array = post(uri, auth, "[1, 2]");
    HttpResponse<String> nested = post(uri, auth, "{\"batch.max-size\": {\"$gt\": 1}}");
    HttpResponse<String> otherKey = post(uri, auth, "{\"bootstrap.servers\": \"evil:9092\"}");
    HttpResponse<String> zero = post(uri, auth, "{\"batch.max-in-flight\": 0}");

    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("the body is not JSON");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(array.body()).contains("must be a JSON object");
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.body()).contains("batch.max-size must be a number");
    assertThat(otherKey.statusCode()).isEqualTo(400);
    assertThat(otherKey.body()).contains("bootstrap.servers cannot change while the app runs");
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(zero.body()).contains("batching limits must be positive");
    assertThat(limits.get()).isEqualTo(AppConfig.defaults().batching());
  }
}
