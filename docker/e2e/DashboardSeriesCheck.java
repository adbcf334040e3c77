import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the Grafana dashboard against the running stack's Prometheus: every series selector in a panel query
 * ({@code name{labels}}) must match at least one series that Prometheus scraped from the apps, so no panel of the
 * shipped dashboard stays empty because a meter was renamed, never registered or labelled differently. Run after
 * StackCheck has sent traffic (see .ci/docker-tier):
 *
 * <pre>java -cp CLASSPATH docker/e2e/DashboardSeriesCheck.java PROMETHEUS_URL DASHBOARD_JSON</pre>
 */
public final class DashboardSeriesCheck {

  private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    URI prometheus = URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/");
    JsonNode dashboard = JSON.readTree(Path.of(args[1]).toFile());
    Set<String> selectors = new TreeSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      Matcher m = SELECTOR.matcher(expr.asText());
      while (m.find()) {
        selectors.add(m.group(1) + "{" + m.group(2) + "}");
      }
    }
    if (selectors.isEmpty()) {
      throw new IllegalStateException("no series selector found in the dashboard's queries: " + args[1]);
    }
    HttpClient http = HttpClient.newHttpClient();
    // The apps are scraped every 10 s; a series that is missing now may just not have been scraped yet.
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> empty;
    do {
      empty = new ArrayList<>();
      for (String selector : selectors) {
        if (seriesCount(http, prometheus, selector) == 0) {
          empty.add(selector);
        }
      }
      if (!empty.isEmpty()) {
        Thread.sleep(5_000);
      }
    } while (!empty.isEmpty() && System.nanoTime() < deadline);
    System.out.printf("dashboard: %d series selectors in its queries, %d with series in Prometheus%n",
        selectors.size(), selectors.size() - empty.size());
    if (!empty.isEmpty()) {
      empty.forEach(s -> System.out.println("FAILED: no series for " + s + " after " + WAIT.toSeconds() + " s"));
      System.exit(1);
    }
    System.out.println("DASHBOARD SERIES CHECK PASSED");
  }

  private static int seriesCount(HttpClient http, URI prometheus, String selector) throws Exception {
    URI query = prometheus.resolve("api/v1/query?query="
        + URLEncoder.encode("count(" + selector + ")", StandardCharsets.UTF_8));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(query).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + query + ": "
          + response.body());
    }
    JsonNode result = JSON.readTree(response.body()).path("data").path("result");
    return result.isEmpty() ? 0 : (int) Double.parseDouble(result.get(0).path("value").get(1).asText());
  }
}
