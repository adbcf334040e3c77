package io.queststream.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queststream.demo.chaos.PlumbingHeads;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.AttributeScore;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.ModerationRules;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.ShadowScore;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.TurnSelection;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.app.HealthServer;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, over the real pipeline: sample turns and a malformed record go through
 * a real broker into the scoring app (MiniLM), the page shows the weights version the app installed (from its
 * metrics), live scores with their latency percentiles and the dead letter by reason, and a reply typed into the
 * form comes back scored through Kafka. Scores written the way the scoring app writes them, with a drop in one
 * character's consistency and preferences between two models, show up in the leaderboards, the Elo column and the
 * drift alert feed.
 */
@RealKafka
class DashboardBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  static KafkaBroker broker;

  @TempDir
  Path work;

  @Test
  void showsLiveScoresAndScoresAReplyTypedIntoTheForm() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    String registry = "mock://dashboard-browser";
    WeightsKeys keys = WeightsKeys.createOrLoad(work.resolve("signing"));
    Path weights = PlumbingHeads.writeMiniLmFile(work.resolve("heads.avro"), keys.signer());
    Map<String, String> settings = new HashMap<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers(),
        "schema.registry.url", registry,
        "application.id", "dashboard-browser-it",
        "state.dir", work.resolve("state").toString(),
        "weights.initial-file", weights.toString(),
        "weights.trusted-keys-file", keys.publicKeyFile().toString(),
        "moderation.score-min", "1000",
        "commit.interval.ms", "100",
        "analytics.drift.min-observations", "5",
        "analytics.drift.threshold", "10"));
    SampleDataset data = SampleData.load();

    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (RewardScorer scorer = RewardScorers.create(ModelConfig.defaults());
        ScoringApp app = new ScoringApp(AppConfig.from(settings), scorer, new ScoringMetrics(prometheus));
        HealthServer appHttp = new HealthServer("127.0.0.1", 0, app, prometheus).start()) {
      app.start();
      URI appMetrics = URI.create("http://127.0.0.1:" + appHttp.port() + "/metrics");
      try (DashboardServer dashboard = new DashboardServer("127.0.0.1", 0, broker.bootstrapServers(), registry,
          List.of(appMetrics), List.of(), TryItGuard.RateLimit.DEFAULT)) {
        dashboard.start();
        WebDriver browser = chromium();
        try {
          browser.get("http://127.0.0.1:" + dashboard.port() + "/");
          WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(250));
          // Before any turn is scored, the header already shows the version the app installed.
          wait.until(b -> b.findElement(By.id("installedWeights")).getText().equals("v1"));
          assertThat(browser.findElement(By.id("total")).getText()).isEqualTo("0");
          assertThat(browser.findElement(By.id("currentWeights")).getText()).isEqualTo("none yet");

          sendSampleTraffic(data, registry);
          wait.until(b -> Long.parseLong(b.findElement(By.id("total")).getText()) >= 3);
          wait.until(b -> !b.findElement(By.id("dlq")).getText().equals("0"));
          assertThat(browser.findElement(By.id("dlqCauses")).getText()).isEqualTo("TRUNCATED_FRAME: 1");
          assertThat(browser.findElement(By.id("p50")).getText()).matches("\\d+");
          // The page refreshes its figures every few seconds: the caption and the figure are read in one snapshot.
          assertThat(((JavascriptExecutor) browser).executeScript(
              "const p = document.getElementById('p50'); return p.parentElement.textContent === p.textContent + ' ms';"))
              .isEqualTo(true);
          assertThat(browser.findElement(By.id("p95")).findElement(By.xpath("..")).getText())
              .matches("median \\(p50\\) · p95 \\d+ ms · p99 \\d+ ms");
          assertThat(browser.findElement(By.id("currentWeights")).getText()).isEqualTo("quest-rm v1");
          assertThat(browser.findElements(By.cssSelector("#recent tbody tr"))).isNotEmpty();
          assertThat(browser.findElements(By.cssSelector("#modFeed tbody tr"))).as("every turn is below 1000")
              .isNotEmpty();

          wait.until(b -> !new Select(b.findElement(By.id("character"))).getOptions().isEmpty());
          new Select(browser.findElement(By.id("character"))).selectByIndex(0);
          browser.findElement(By.id("userMessage")).sendKeys("What do you see out there?");
          browser.findElement(By.id("reply")).sendKeys("*leans on the rail, squinting at the grey horizon* "
              + "Storm clouds, friend, and a sail that should not be there. Fetch the glass and tell me what you make of it.");
          browser.findElement(By.id("tryButton")).click();
          wait.until(b -> !b.findElements(By.id("tryScore")).isEmpty());
          assertThat(Float.parseFloat(browser.findElement(By.id("tryScore")).getText())).isFinite();
          assertThat(browser.findElement(By.id("tryResult")).getText()).contains("Character Consistency");

          sendDriftAndPreferences(registry);
          wait.until(b -> b.findElement(By.id("driftFeed")).getText().contains("browser-drifter"));
          for (String who : List.of("character browser-drifter", "model browser-a")) {
            assertThat(browser.findElements(By.xpath("//table[@id='driftFeed']//tr[td[2]='" + who + "']")))
                .singleElement().extracting(WebElement::getText).asString()
                .contains("Character Consistency", "drop 8.00 → 2.00", "8 → 3");
          }
          wait.until(b -> b.findElement(By.id("lbCharacters")).getText().contains("browser-drifter"));
          wait.until(b -> b.findElements(By.xpath("//table[@id='lbModels']//tr[td[1]='browser-a']/td[5]")).stream()
              .anyMatch(td -> !td.getText().equals("–")));
          assertThat(browser.findElement(By.id("lbModels")).getText()).contains("browser-b");

          sendSwipeAndPolicy(registry);
          wait.until(b -> b.findElement(By.id("swipePairs")).getText().equals("2"));
          assertThat(browser.findElement(By.id("selections")).getText()).isEqualTo("1");
          wait.until(b -> !b.findElements(By.xpath("//table[@id='policies']//tr[td[1]='character:browser-drifter']"))
              .isEmpty());
          assertThat(browser.findElement(By.xpath("//table[@id='policies']//tr[td[1]='character:browser-drifter']"))
              .getText()).contains("character-consistency 6.00");

          sendShadowedCandidate(registry, keys);
          // The panel's heading is shown in capitals: its text is read as written.
          wait.until(b -> b.findElement(By.id("shadowHead")).getDomProperty("textContent")
              .equals("candidate v2 shadowed alongside v1"));
          wait.until(b -> b.findElements(By.xpath("//table[@id='shadowGroups']//tr[td[1]='all']")).stream()
              .anyMatch(tr -> tr.getText().equals("all 4 1.000 0.100 1 (25.0%)")));
          assertThat(browser.findElement(By.xpath("//table[@id='shadowGroups']//tr[td[1]='character browser-shadow']"))
              .getText()).isEqualTo("character browser-shadow 4 1.000 0.100 1 (25.0%)");
          withdrawCandidate();
          wait.until(b -> b.findElement(By.id("shadowHead")).getDomProperty("textContent")
              .equals("no candidate shadowed"));
          assertThat(browser.findElement(By.cssSelector("#shadowDecisions tbody tr")).getText())
              .isEqualTo("v2 discarded 4 flip rate 0.2500: 1 of 4 moderation decisions (max 0.0500)");

          ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
          Path screenshot = Path.of("target", "dashboard.png");
          Files.createDirectories(screenshot.getParent());
          Files.write(screenshot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
          browser.quit();
        }
      }
    }
  }

  private void sendSampleTraffic(SampleDataset data, String registry) {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    RegistryAvroSerde<SpecificRecord> serde = RegistryAvroSerde.anyOf(CharacterCard.class, ChatTurn.class);
    serde.configure(Map.of("schema.registry.url", registry, "subject.name.strategy", "topic_record"), false);
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
         KafkaProducer<String, byte[]> raw =
             new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (CharacterCard card : data.cards()) {
        producer.send(new ProducerRecord<>("character-cards", card.getCharacterId(), card));
      }
      List<ChatTurn> conversation = data.turnsByConversation().values().iterator().next();
      for (ChatTurn turn : conversation) {
        producer.send(new ProducerRecord<>("chat-turns", turn.getConversationId(), turn));
      }
      raw.send(new ProducerRecord<>("chat-turns", "broken", new byte[] {1, 2, 3}));
    }
  }

  /**
   * Three scored regenerations of one turn and the user's pick of one of them (the analytics derive two pairs), and a
   * moderation policy for browser-drifter.
   */
  private void sendSwipeAndPolicy(String registry) {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    RegistryAvroSerde<SpecificRecord> serde =
        RegistryAvroSerde.anyOf(TurnScore.class, TurnSelection.class, ModerationRules.class);
    serde.configure(Map.of("schema.registry.url", registry), false);
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
      for (String reply : List.of("swipe-1", "swipe-2", "swipe-3")) {
        producer.send(new ProducerRecord<>("turn-scores", "browser-swipes", TurnScore.newBuilder(
            score(reply, "browser-a", "browser-swiper", 6)).setConversationId("browser-swipes")
            .setParentTurnId("swipe-parent").setTurnCreatedAt(Instant.now().minusSeconds(10)).build()));
      }
      producer.send(new ProducerRecord<>("turn-selections", "browser-swipes", TurnSelection.newBuilder()
          .setSelectionId("browser-selection").setConversationId("browser-swipes").setParentTurnId("swipe-parent")
          .setChosenTurnId("swipe-2").setUserId("browser-user").setCreatedAt(Instant.now()).build()));
      producer.send(new ProducerRecord<>("moderation-policies", "character:browser-drifter",
          ModerationRules.newBuilder().setScope("character").setSubject("browser-drifter")
              .setAttributeMins(Map.of("character-consistency", 6f)).setUpdatedAt(Instant.now()).build()));
    }
  }

  /**
   * Scores as the scoring app writes them: 8 replies of browser-drifter (model browser-a) at consistency 8, then 4 at
   * 2 (one drift alert per dimension with 5 observations and threshold 10); 3 replies by browser-b; and 3 pairs where
   * browser-a's reply wins.
   */
  /**
   * A signed candidate v2 on the weights topic and four shadow scores of it, written the way the scoring app writes
   * them: the same ranking, a score shift of 0.1 and one moderation decision that would flip.
   */
  private void sendShadowedCandidate(String registry, WeightsKeys keys) throws Exception {
    Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()));
    config.putAll(WeightsContract.producerLimits());
    RegistryAvroSerde<SpecificRecord> serde = RegistryAvroSerde.anyOf(RewardHeads.class, ShadowScore.class);
    serde.configure(Map.of("schema.registry.url", registry), false);
    RewardHeads candidate = PlumbingHeads.forMiniLm(2, 9);
    candidate.setStatus("candidate");
    candidate.setParentVersion(1L);
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
      producer.send(new ProducerRecord<>("reward-weights", WeightsContract.candidateKey(PlumbingHeads.MODEL_NAME),
          keys.signer().sign(candidate))).get();
      List<AttributeScore> attributes = List.of(new AttributeScore("Creativity", 0.5f, 5.5f, 1f, 1f));
      for (int i = 0; i < 4; i++) {
        producer.send(new ProducerRecord<>("turn-scores-shadow", "shadow-c", ShadowScore.newBuilder()
            .setTurnId("shadow-" + i).setConversationId("shadow-c").setCharacterId("browser-shadow")
            .setPolicyModel("browser-a").setWeightsModel(PlumbingHeads.MODEL_NAME).setServingVersion(1)
            .setCandidateVersion(2).setServingScore(i).setCandidateScore(i + 0.1f)
            .setServingAttributes(attributes).setCandidateAttributes(attributes).setServingFlagged(false)
            .setCandidateFlagged(i == 3).setScoredAt(Instant.now()).build())).get();
      }
    }
  }

  /** The candidate discarded: a tombstone under its key with the decision in its headers, as the trainer writes it. */
  private void withdrawCandidate() throws Exception {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, byte[]> raw =
             new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> tombstone = new ProducerRecord<>("reward-weights",
          WeightsContract.candidateKey(PlumbingHeads.MODEL_NAME), null);
      tombstone.headers().add("quest.shadow.decision", "discarded".getBytes(StandardCharsets.UTF_8));
      tombstone.headers().add("quest.shadow.version", "2".getBytes(StandardCharsets.UTF_8));
      tombstone.headers().add("quest.shadow.reasons",
          "flip rate 0.2500: 1 of 4 moderation decisions (max 0.0500)".getBytes(StandardCharsets.UTF_8));
      raw.send(tombstone).get();
    }
  }

  private void sendDriftAndPreferences(String registry) {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    RegistryAvroSerde<TurnScore> scores = new RegistryAvroSerde<>(TurnScore.class);
    scores.configure(Map.of("schema.registry.url", registry), false);
    RegistryAvroSerde<SpecificRecord> preferences = RegistryAvroSerde.anyOf(PreferencePair.class);
    preferences.configure(Map.of("schema.registry.url", registry, "subject.name.strategy", "topic_record"), false);
    try (KafkaProducer<String, TurnScore> s = new KafkaProducer<>(config, new StringSerializer(), scores.serializer());
        KafkaProducer<String, SpecificRecord> p =
            new KafkaProducer<>(config, new StringSerializer(), preferences.serializer())) {
      for (int i = 0; i < 12; i++) {
        s.send(new ProducerRecord<>("turn-scores", "browser-drift",
            score("drift-" + i, "browser-a", "browser-drifter", i < 8 ? 8 : 2)));
      }
      for (int i = 0; i < 3; i++) {
        s.send(new ProducerRecord<>("turn-scores", "browser-b-" + i, score("b-" + i, "browser-b", "pirate", 5)));
        p.send(new ProducerRecord<>("turn-preferences", "ctx-" + i, PreferencePair.newBuilder()
            .setPairId("browser-pair-" + i).setContextId("ctx-" + i).setConversationId(null)
            .setChosenTurnId("drift-" + i).setRejectedTurnId("b-" + i).setSource("user_pick").setRaterId(null)
            .setWeight(1f).setCreatedAt(Instant.now()).build()));
      }
    }
  }

  private static TurnScore score(String turnId, String model, String character, double consistency) {
    List<AttributeScore> attributes = List.of(
        new AttributeScore("Character Consistency", (float) ((consistency - 1) / 9), (float) consistency, 1f, 1f),
        new AttributeScore("Creativity and Emotional Nuance", 0.5f, 5.5f, 1f, 1f));
    return TurnScore.newBuilder().setTurnId(turnId).setConversationId("browser-" + turnId).setCharacterId(character)
        .setPolicyModel(model).setParentTurnId(null).setAttributes(attributes).setScore((float) consistency / 10)
        .setTopK(List.of()).setWeightsModel("quest-rm").setWeightsVersion(1).setBackboneId("browser-test")
        .setPromptTokens(1).setResponseTokens(1).setTruncated(false).setBatchSize(1).setEndToEndLatencyMs(1)
        .setTurnCreatedAt(Instant.now()).setScoredAt(Instant.now()).build();
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // A closed network: keep Chromium from reaching out at start-up.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1700");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .build();
    return new ChromeDriver(service, options);
  }
}
