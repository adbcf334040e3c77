package io.queststream.demo.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.queststream.demo.leaderboard.LeaderboardTables;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.TurnScore;
import io.queststream.serde.RegistryAvroSerde;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The live dashboard: a static page plus JSON endpoints over {@link LiveStats}; the "try it" form sends a user turn
 * and a reply into chat-turns and answers with the score the pipeline produces for it. Every request must name the
 * dashboard's own address as Host; the form's write must also pass the {@link TryItGuard} (same origin, JSON, page
 * token, rate).
 */
public final class DashboardServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TRY_IT_TIMEOUT_SECONDS = 60;
  private static final String TOKEN_PLACEHOLDER = "__DASHBOARD_TOKEN__";

  private final HttpServer http;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final Thread feedThread;
  private final OutputFeed feed;
  private final LiveStats stats = new LiveStats();
  private final LeaderboardTables leaderboards = new LeaderboardTables();
  private final SwipesAndPolicies swipes = new SwipesAndPolicies();
  private final ShadowView shadow = new ShadowView();
  private final KafkaProducer<String, ChatTurn> producer;
  private final DashboardTopics topics;
  private final PageTokens tokens = new PageTokens();
  private final TryItGuard guard;
  private final Map<String, Long> refusals = new TreeMap<>();
  private final InstalledWeights installed;

  public DashboardServer(String host, int port, String bootstrap, String registryUrl) throws IOException {
    this(host, port, bootstrap, registryUrl, List.of(), List.of(), TryItGuard.RateLimit.DEFAULT);
  }

  /**
   * @param appMetrics the streams app instances' Prometheus endpoints, for the weights version they installed
   * @param publishedNames host names the dashboard is reached under besides its bind address (behind a proxy)
   * @param tryItLimit how many replies the form may send at once, and how fast after that
   */
  public DashboardServer(String host, int port, String bootstrap, String registryUrl, List<URI> appMetrics,
      List<String> publishedNames, TryItGuard.RateLimit tryItLimit) throws IOException {
    this.topics = DashboardTopics.defaults();
    this.installed = new InstalledWeights(appMetrics);
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", registryUrl);
    this.feed = new OutputFeed(bootstrap, serdeConfig, topics, stats, leaderboards, swipes, shadow);
    RegistryAvroSerde<ChatTurn> turnSerde = new RegistryAvroSerde<>(ChatTurn.class);
    turnSerde.configure(serdeConfig, false);
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), turnSerde.serializer());
    this.http = HttpServer.create(new InetSocketAddress(host, port), 64);
    this.guard = new TryItGuard(TryItGuard.ownHosts(host, http.getAddress().getPort(), publishedNames), tokens,
        tryItLimit);
    http.setExecutor(workers);
    http.createContext("/", ownHostOnly(this::page));
    http.createContext("/api/summary", ownHostOnly(ex -> json(ex, 200, summary())));
    http.createContext("/api/characters", ownHostOnly(ex -> json(ex, 200, feed.characters().values().stream()
        .map(c -> Map.of("id", c.getCharacterId(), "name", c.getName(), "scenario", c.getScenario())).toList())));
    http.createContext("/api/try", this::tryIt);
    http.createContext("/api/analytics", ownHostOnly(ex -> json(ex, 200, leaderboards.snapshot())));
    http.createContext("/api/swipes-policies", ownHostOnly(ex -> json(ex, 200, swipes.snapshot())));
    this.feedThread = new Thread(feed, "dashboard-feed");
  }

  public void start() {
    feed.assign();
    feedThread.start();
    http.start();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  private HttpHandler ownHostOnly(HttpHandler handler) {
    return ex -> {
      Optional<TryItGuard.Refusal> refused = guard.checkHost(ex.getRequestHeaders().getFirst("Host"));
      if (refused.isPresent()) {
        refuse(ex, refused.get());
      } else {
        handler.handle(ex);
      }
    };
  }

  private Map<String, Object> summary() {
    Map<String, Object> s = stats.snapshot(System.currentTimeMillis());
    s.put("installedWeights", installed.describe());
    s.put("shadow", shadow.snapshot());
    synchronized (refusals) {
      s.put("refusedRequests", new TreeMap<>(refusals));
    }
    return s;
  }

  private void refuse(HttpExchange ex, TryItGuard.Refusal r) throws IOException {
    synchronized (refusals) {
      refusals.merge(r.cause(), 1L, Long::sum);
    }
    if (r.status() == 429) {
      ex.getResponseHeaders().set("Retry-After", "2");
    }
    json(ex, r.status(), Map.of("error", r.error()));
  }

  private void page(HttpExchange ex) throws IOException {
    if (!ex.getRequestURI().getPath().equals("/")) {
      json(ex, 404, Map.of("error", "not found"));
      return;
    }
    try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/index.html")) {
      byte[] body = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(TOKEN_PLACEHOLDER, tokens.issue())
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void tryIt(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      json(ex, 405, Map.of("error", "POST a JSON body {characterId, userMessage, reply}"));
      return;
    }
    Headers h = ex.getRequestHeaders();
    Optional<TryItGuard.Refusal> refused = guard.checkWrite(h.getFirst("Host"), h.getFirst("Origin"),
        h.getFirst("Content-Type"), h.getFirst(TryItGuard.TOKEN_HEADER));
    if (refused.isPresent()) {
      refuse(ex, refused.get());
      return;
    }
    TryItRequest req;
    try {
      req = JSON.readValue(ex.getRequestBody(), TryItRequest.class);
    } catch (IOException e) {
      json(ex, 400, Map.of("error", "body is not valid JSON: " + e.getMessage()));
      return;
    }
    String invalid = req.validationError();
    if (invalid != null) {
      json(ex, 400, Map.of("error", invalid));
      return;
    }
    String conversation = "try-" + UUID.randomUUID();
    String userTurn = conversation + "-u";
    String replyTurn = conversation + "-a";
    CompletableFuture<TurnScore> score = feed.awaitScore(replyTurn);
    long now = System.currentTimeMillis();
    String userText = req.userMessage() == null || req.userMessage().isBlank() ? "Hello!" : req.userMessage();
    producer.send(new ProducerRecord<>(topics.chatTurns(), conversation,
        turn(userTurn, conversation, "user", userText, req.characterId(), null, now)));
    producer.send(new ProducerRecord<>(topics.chatTurns(), conversation,
        turn(replyTurn, conversation, "assistant", req.reply(), req.characterId(), userTurn, now + 1)));
    producer.flush();
    try {
      TurnScore s = score.get(TRY_IT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("turnId", s.getTurnId());
      body.put("score", s.getScore());
      body.put("weightsVersion", s.getWeightsVersion());
      body.put("attributes", s.getAttributes().stream().map(a -> Map.of("attribute", a.getAttribute(),
          "onScale", a.getRewardOnScale(), "gating", a.getGating(), "coefficient", a.getCoefficient())).toList());
      body.put("topK", s.getTopK().stream().map(e -> Map.of("attribute", e.getAttribute(),
          "contribution", e.getContribution())).toList());
      body.put("latencyMs", s.getEndToEndLatencyMs());
      json(ex, 200, body);
    } catch (TimeoutException e) {
      feed.forget(replyTurn);
      json(ex, 504, Map.of("error", "no score within " + TRY_IT_TIMEOUT_SECONDS + " s; is the streams app running?"));
    } catch (Exception e) {
      feed.forget(replyTurn);
      json(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  private static ChatTurn turn(String id, String conversation, String role, String text, String character,
      String parent, long at) {
    return ChatTurn.newBuilder().setTurnId(id).setConversationId(conversation).setRole(role).setText(text)
        .setCharacterId(character).setParentTurnId(parent).setPolicyModel(role.equals("assistant") ? "human" : null)
        .setCreatedAt(Instant.ofEpochMilli(at)).build();
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    feed.close();
    producer.close();
    workers.shutdownNow();
  }
}
