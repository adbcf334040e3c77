package io.queststream.demo.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.demo.chaos.PlumbingHeads;
import io.queststream.demo.hostile.PipelineOutputs.DeadLetter;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.signing.HeadsSigner;
import io.queststream.model.signing.SigningKeys;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.RuleViolation;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.moderation.ModerationPolicy;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile corpus against the real processes (broker, registry, streams app, dashboard): weights records that
 * would steer scoring, scores that cannot be judged, and writes through the dashboard from other sites. Each case
 * asserts its exact outcome and cause and that it produced exactly one dead letter, moderation event or refusal, with
 * a settle window that would see a second; control turns sent before, between and after the cases are each scored
 * exactly once, by the version that should be running. The table of observed outcomes is written to
 * target/reliability/hostile-corpus.md for docs/security.md.
 */
@ExtendWith(HostilePipelineExtension.class)
@Order(HostilePipeline.RUNS_LAST)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileCorpusIT {

  private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final String MODEL = PlumbingHeads.MODEL_NAME;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CorpusReport REPORT = new CorpusReport("hostile-corpus.md");

  static HostilePipeline pipeline;

  @AfterAll
  static void writeReport() throws Exception {
    REPORT.write();
  }

  // ---- weights ----

  /** A weights case: the record, and either the exact rejection or the version it installs. */
  private record WeightsCase(String input, String key, RewardHeads record, Reason reason, String message,
      long runningAfter) {

    String expected() {
      return reason == null ? "installed, v" + runningAfter + " scores" : "rejected " + reason + ", v"
          + runningAfter + " keeps scoring";
    }
  }

  private record Outcome(WeightsCase c, HostilePipeline.Position position, String control) {}

  @Test
  @Order(1)
  void hostileWeightsAreRejectedWithTheirCauseAndTheRunningVersionKeepsScoring() throws Exception {
    HeadsSigner trainer = pipeline.keys.signer();
    HeadsSigner intruder = HeadsSigner.of(SigningKeys.generate().getPrivate());
    RewardHeads v3 = trainer.sign(PlumbingHeads.forMiniLm(3, 3));
    RewardHeads v5 = PlumbingHeads.forMiniLm(5, 5);
    String notNewer = " are not newer than the running v%d: versions only move forward (a rollback is published "
        + "as a new version)";
    List<String> renamed = new ArrayList<>(WeightsContract.QUEST_ATTRIBUTES);
    renamed.set(1, "Character Consistency (renamed)");
    List<WeightsCase> cases = List.of(
        new WeightsCase("a newer version, v3, signed by the trainer", MODEL, v3, null, null, 3),
        new WeightsCase("a lower version, v2, signed by the trainer", MODEL,
            trainer.sign(PlumbingHeads.forMiniLm(2, 2)), Reason.VERSION_NOT_NEWER,
            "weights quest-rm v2" + notNewer.formatted(3), 3),
        new WeightsCase("model_name 'evil-model' under the app's key", MODEL,
            trainer.sign(RewardHeads.newBuilder(v5).setModelName("evil-model").build()),
            Reason.MODEL_NAME_MISMATCH,
            "weights evil-model v5 (record key 'quest-rm') are not for this app's model 'quest-rm'", 3),
        new WeightsCase("model 'evil-model', key and name", "evil-model",
            trainer.sign(RewardHeads.newBuilder(v5).setModelName("evil-model").build()),
            Reason.MODEL_NAME_MISMATCH,
            "weights evil-model v5 (record key 'evil-model') are not for this app's model 'quest-rm'", 3),
        new WeightsCase("3e38 in W (finite, huge)", MODEL, trainer.sign(filled(v5, 0, 3e38f)),
            Reason.OUT_OF_BOUNDS, "weights quest-rm v5: regression has 3.0E38 at index 0, outside [-10000.0, "
                + "10000.0]", 3),
        new WeightsCase("NaN in W", MODEL, trainer.sign(filled(v5, 0, Float.NaN)), Reason.NON_FINITE,
            "weights quest-rm v5: regression has a non-finite value at index 0", 3),
        new WeightsCase("logit_scale 0", MODEL, trainer.sign(RewardHeads.newBuilder(v5).setLogitScale(0f).build()),
            Reason.OUT_OF_BOUNDS, "weights quest-rm v5: logit_scale must be > 0 and <= 1000.0, was 0.0 (0 would "
                + "give every text the same score)", 3),
        new WeightsCase("an attribute renamed", MODEL,
            trainer.sign(RewardHeads.newBuilder(v5).setAttributeNames(renamed).build()), Reason.ATTRIBUTES_MISMATCH,
            "weights quest-rm v5 have attributes " + renamed + ", this app scores "
                + WeightsContract.QUEST_ATTRIBUTES, 3),
        new WeightsCase("unsigned", MODEL, v5, Reason.UNSIGNED, "weights quest-rm v5 are not signed", 3),
        new WeightsCase("signed by a key the app does not trust", MODEL, intruder.sign(v5), Reason.UNTRUSTED_KEY,
            "weights quest-rm v5 are signed by key " + intruder.keyId() + ", which is not trusted (trusted: "
                + trainer.keyId() + ")", 3),
        new WeightsCase("signed by the trainer, then logit_scale changed", MODEL,
            RewardHeads.newBuilder(trainer.sign(v5)).setLogitScale(7f).build(), Reason.BAD_SIGNATURE,
            "weights quest-rm v5: the signature of key " + trainer.keyId() + " does not match the record's content",
            3),
        new WeightsCase("logit_scale 1000, temperature 1000, T = 10000 I (each value in bounds)", MODEL,
            trainer.sign(amplified(v5)), Reason.CANARY_FAILED,
            "weights quest-rm v5 failed the canary: canary-1 gets coefficient of Contextual Alignment ", 3),
        new WeightsCase("W all zero (every text scores the same)", MODEL, trainer.sign(filled(v5, -1, 0f)),
            Reason.CANARY_FAILED, "weights quest-rm v5 failed the canary: all 8 turns score 0.0: the heads do not "
                + "tell texts apart", 3),
        new WeightsCase("rollback: v1's heads published as v5 with parent 1", MODEL,
            trainer.sign(RewardHeads.newBuilder(PlumbingHeads.forMiniLm(1, 42)).setVersion(5).setParentVersion(1L)
                .setStatus("rollback").build()), null, null, 5),
        new WeightsCase("v3's signed record replayed", MODEL, v3, Reason.VERSION_NOT_NEWER,
            "weights quest-rm v3" + notNewer.formatted(5), 5));

    PipelineOutputs out = pipeline.outputs;
    Map<String, Long> controlVersions = new LinkedHashMap<>();
    String before = pipeline.sendControl("weights-before");
    awaitScore(out, before);
    controlVersions.put(before, 1L);
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      WeightsCase c = cases.get(i);
      HostilePipeline.Position at = pipeline.sendWeights(c.key(), c.record());
      if (c.reason() != null) {
        assertThat(out.readUntil(() -> !out.deadLettersAt(at.key()).isEmpty(), OUTCOME_TIMEOUT))
            .as("a dead letter for '%s'", c.input()).isTrue();
      } else {
        awaitInstalled(c.runningAfter());
      }
      // Sent once the outcome is out, so the version that should be running scores it.
      String control = pipeline.sendControl("weights-between-" + i);
      awaitScore(out, control);
      controlVersions.put(control, c.runningAfter());
      outcomes.add(new Outcome(c, at, control));
    }
    String after = pipeline.sendControl("weights-after");
    awaitScore(out, after);
    controlVersions.put(after, 5L);
    out.settle(SETTLE);

    for (Outcome o : outcomes) {
      WeightsCase c = o.c();
      List<DeadLetter> dls = out.deadLettersAt(o.position().key());
      REPORT.add("weights", c.input(), c.expected(), dls.isEmpty()
          ? "installed: the next control turn was scored by v" + c.runningAfter()
          : dls.size() + " dead letter: " + dls.get(0).text());
      if (c.reason() == null) {
        assertThat(dls).as(c.input()).isEmpty();
      } else {
        assertThat(dls).as(c.input()).singleElement().satisfies(d -> {
          assertThat(d.kind()).isEqualTo("weights");
          assertThat(d.reason()).isEqualTo(c.reason().name());
          if (c.reason() == Reason.CANARY_FAILED && c.message().endsWith("Alignment ")) {
            // the value depends on the backbone's embedding of the canary turn's prompt
            assertThat(d.message()).startsWith(c.message()).endsWith(", beyond +-10000.0");
          } else {
            assertThat(d.message()).isEqualTo(c.message());
          }
        });
      }
    }
    controlVersions.forEach((control, version) -> assertThat(out.scores(control)).as(control)
        .extracting(TurnScore::getWeightsVersion).containsExactly(version));

    Map<String, Integer> expectedByReason = new TreeMap<>();
    cases.stream().filter(c -> c.reason() != null).forEach(c -> expectedByReason.merge(c.reason().name(), 1,
        Integer::sum));
    assertThat(rejectionMetrics(pipeline.appMetrics())).isEqualTo(expectedByReason);
    assertWeightsPanelShowsEachRejection(outcomes);
    assertThat(pipeline.app.starts()).isEqualTo(1);
    assertThat(pipeline.app.isAlive()).isTrue();
  }

  /** Waits for the app's quest_weights_version gauge to show the version. */
  private static void awaitInstalled(long version) throws Exception {
    String gauge = "quest_weights_version " + (double) version;
    long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
    while (!pipeline.appMetrics().contains(gauge)) {
      assertThat(System.nanoTime()).as("v%d installed", version).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static void awaitScore(PipelineOutputs out, String turnId) {
    assertThat(out.readUntil(() -> !out.scores(turnId).isEmpty(), OUTCOME_TIMEOUT)).as("%s scored", turnId).isTrue();
  }

  /** W set to {@code value} at {@code index}, or everywhere when index is -1. */
  private static RewardHeads filled(RewardHeads base, int index, float value) {
    float[] w = Matrices.values(base.getRegression());
    if (index < 0) {
      Arrays.fill(w, value);
    } else {
      w[index] = value;
    }
    return RewardHeads.newBuilder(base).setRegression(Matrices.of(base.getRegression().getRows(),
        base.getRegression().getCols(), w)).build();
  }

  /**
   * Gating that is nearly uniform (temperature 1000) and sums to 1000, through a transform of 10000 on the diagonal:
   * every coefficient is about 1.7 million although no single value leaves its bounds.
   */
  private static RewardHeads amplified(RewardHeads base) {
    int k = base.getAttributeNames().size();
    float[] t = new float[k * k];
    for (int i = 0; i < k; i++) {
      t[i * k + i] = 10_000f;
    }
    return RewardHeads.newBuilder(base).setLogitScale(1_000f).setTemperature(1_000f).setTransform(Matrices.of(k, k, t))
        .build();
  }

  private static Map<String, Integer> rejectionMetrics(String prometheus) {
    Map<String, Integer> byReason = new TreeMap<>();
    Matcher m = Pattern.compile("quest_weights_rejected_total\\{reason=\"([A-Z_]+)\"[^}]*} ([0-9.]+)")
        .matcher(prometheus);
    while (m.find()) {
      int n = (int) Double.parseDouble(m.group(2));
      if (n > 0) {
        byReason.put(m.group(1), n);
      }
    }
    return byReason;
  }

  /** The dashboard's weights panel marks each rejected record, by its position, with the reason the app gave. */
  private static void assertWeightsPanelShowsEachRejection(List<Outcome> outcomes) throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (Outcome o : outcomes) {
      expected.put(o.position().partition() + "@" + o.position().offset(),
          o.c().reason() == null ? "accepted" : "rejected " + o.c().reason());
    }
    Map<String, String> shown = new TreeMap<>();
    long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
    while (true) {
      shown.clear();
      for (JsonNode row : summary().get("weightVersions")) {
        String position = row.get("position").asText();
        if (expected.containsKey(position)) {
          shown.put(position, row.get("verdict").asText().equals("rejected")
              ? "rejected " + row.get("reason").asText() : "accepted");
        }
      }
      if (shown.equals(expected) || System.nanoTime() >= deadline) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(shown).isEqualTo(expected);
  }

  // ---- non-finite scores ----

  @Test
  @Order(2)
  void aScoreThatIsNaNOrInfiniteIsAModerationEventOfItsOwnRule() throws Exception {
    String prefix = "nonfinite-";
    Map<String, String> settings = new HashMap<>();
    for (String t : List.of("chat-turns", "character-cards", "turn-scores", "moderation-events", "turn-embeddings",
        "reward-weights")) {
      settings.put("topics." + t, prefix + t);
    }
    settings.putAll(Map.of("topics.dead-letters", prefix + "dlq", "bootstrap.servers",
        pipeline.cluster.bootstrapServers(), "schema.registry.url", pipeline.cluster.registryUrl(),
        "application.id", "quest-stream-nonfinite", "state.dir",
        Files.createTempDirectory(pipeline.work, "nonfinite-state").toString(), "weights.initial-file",
        PlumbingHeads.writeMiniLmFile(pipeline.work.resolve("nonfinite-heads.avro"), pipeline.keys.signer())
            .toString(), "weights.trusted-keys-file", pipeline.keys.publicKeyFile().toString(),
        "embeddings.enabled", "false"));
    AppConfig config = AppConfig.from(settings);
    try (NonFiniteScorer scorer = new NonFiniteScorer(RewardScorers.create(ModelConfig.defaults()));
        ScoringApp app = new ScoringApp(config, scorer, new ScoringMetrics(new SimpleMeterRegistry()))) {
      app.start();
      try (PipelineOutputs out = new PipelineOutputs(pipeline.cluster.bootstrapServers(),
          pipeline.cluster.registryUrl(), config.topics().turnScores(), config.topics().moderationEvents(),
          config.topics().deadLetters())) {
        NonFiniteTurns turns = new NonFiniteTurns(config.topics().chatTurns());
        String before = turns.send("nf-before", "The fire crackles; she sets down two bowls of stew.");
        String nan = turns.send("nf-nan", "A reply the backbone fails on " + NonFiniteScorer.NAN_SCORE);
        String between = turns.send("nf-between", "He bows and steps aside to let you pass.");
        String inf = turns.send("nf-inf", "Another reply it fails on " + NonFiniteScorer.INFINITE_ATTRIBUTE);
        String after = turns.send("nf-after", "The bell over the door rings as the tinker leaves.");
        List<String> all = List.of(before, nan, between, inf, after);
        assertThat(out.readUntil(() -> all.stream().allMatch(t -> !out.scores(t).isEmpty())
            && !out.moderation(nan).isEmpty() && !out.moderation(inf).isEmpty(), OUTCOME_TIMEOUT)).isTrue();
        out.settle(SETTLE);

        for (String t : all) {
          assertThat(out.scores(t)).as("%s scored once", t).hasSize(1);
        }
        for (String t : List.of(before, between, after)) {
          assertThat(out.moderation(t)).as("%s: finite scores, no rule configured", t).isEmpty();
        }
        assertThat(out.scores(nan).get(0).getScore()).isNaN();
        List<RuleViolation> nanRules = single(out.moderation(nan)).getViolations();
        List<RuleViolation> infRules = single(out.moderation(inf)).getViolations();
        assertThat(nanRules).extracting(RuleViolation::getRule, RuleViolation::getAttribute)
            .containsExactly(tuple(ModerationPolicy.NON_FINITE_RULE, null));
        assertThat(infRules).extracting(RuleViolation::getRule, RuleViolation::getAttribute, RuleViolation::getValue)
            .containsExactly(tuple(ModerationPolicy.NON_FINITE_RULE,
                "Character Consistency", Float.POSITIVE_INFINITY));
        assertThat(out.deadLetters()).as("dead letters of the non-finite app").isEmpty();
        REPORT.add("non-finite score", "the backbone gives a reply a NaN score", "moderation event non_finite",
            "1 moderation event: " + describe(nanRules) + "; scored once");
        REPORT.add("non-finite score", "the backbone gives a reply an infinite Character Consistency",
            "moderation event non_finite", "1 moderation event: " + describe(infRules) + "; scored once");
      }
    }
  }

  private static ModerationEvent single(List<ModerationEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static String describe(List<RuleViolation> rules) {
    return rules.stream().map(v -> v.getRule() + (v.getAttribute() == null ? "" : " (" + v.getAttribute() + ")")
        + " = " + v.getValue()).toList().toString();
  }

  /** Conversations of one user turn and one reply for the non-finite app; returns the reply's id. */
  private record NonFiniteTurns(String topic) {
    String send(String conversation, String reply) throws Exception {
      ChatTurn user = HostilePipeline.turn(conversation, conversation + "-u", "user", "What news from the road?",
          null);
      ChatTurn assistant = HostilePipeline.turn(conversation, conversation + "-a", "assistant", reply,
          user.getTurnId());
      pipeline.sendTurn(topic, user);
      pipeline.sendTurn(topic, assistant);
      return assistant.getTurnId();
    }
  }

  // ---- the dashboard's write path ----

  /** One request to the dashboard and what it must answer. */
  private record DashboardCase(String input, String method, String path, Map<String, String> headers, String body,
      int status, String error, String refusal) {

    String expected() {
      return status + (refusal == null ? "" : ", refusal " + refusal) + (error == null ? "" : ": " + error);
    }
  }

  @Test
  @Order(3)
  void theDashboardTakesOnlySameOriginJsonWritesFromItsOwnPageAtABoundedRate() throws Exception {
    int port = pipeline.dashboardPort;
    String host = "127.0.0.1:" + port;
    String origin = "http://" + host;
    String rebound = "attacker.example:" + port;
    RawHttp.Response page = RawHttp.send(port, "GET", "/", Map.of("Host", host), null);
    Matcher token = Pattern.compile("name=\"dashboard-token\" content=\"([A-Za-z0-9_.-]+)\"").matcher(page.body());
    assertThat(token.find()).as("the page carries its token").isTrue();
    String issued = token.group(1);
    String forged = issued.substring(0, issued.indexOf('.') + 1) + "AAAAAAAA";
    String reply = "{\"characterId\":\"innkeeper\",\"userMessage\":\"Any rooms?\","
        + "\"reply\":\"One, above the kitchen. Two silver, supper included.\"}";
    String noReply = "{\"characterId\":\"innkeeper\",\"userMessage\":\"Any rooms?\"}";
    Map<String, String> good = Map.of("Host", host, "Origin", origin, "Content-Type", "application/json",
        "X-Dashboard-Token", issued);
    List<DashboardCase> cases = List.of(
        new DashboardCase("same-origin JSON POST with the page's token", "POST", "/api/try", good, reply, 200,
            null, null),
        new DashboardCase("POST from another site (Origin http://attacker.example)", "POST", "/api/try",
            with(good, "Origin", "http://attacker.example"), reply, 403,
            "cross-origin write refused: Origin 'http://attacker.example' is not " + origin, "origin"),
        new DashboardCase("POST without an Origin header", "POST", "/api/try", with(good, "Origin", null), reply,
            403, "cross-origin write refused: Origin 'null' is not " + origin, "origin"),
        new DashboardCase("POST without the page token", "POST", "/api/try", with(good, "X-Dashboard-Token", null),
            reply, 403, "missing page token (X-Dashboard-Token): reload the dashboard", "token"),
        new DashboardCase("POST with a forged page token", "POST", "/api/try",
            with(good, "X-Dashboard-Token", forged), reply, 403,
            "invalid page token (X-Dashboard-Token): reload the dashboard", "token"),
        new DashboardCase("text/plain POST (a form or fetch without preflight)", "POST", "/api/try",
            with(good, "Content-Type", "text/plain"), reply, 415,
            "Content-Type must be application/json, was 'text/plain'", "content-type"),
        new DashboardCase("DNS rebinding: POST with Host attacker.example", "POST", "/api/try",
            with(with(good, "Host", rebound), "Origin", "http://" + rebound), reply, 403,
            "Host '" + rebound + "' is not an address of this dashboard", "host"),
        new DashboardCase("DNS rebinding: GET /api/summary with Host attacker.example", "GET", "/api/summary",
            Map.of("Host", rebound), null, 403, "Host '" + rebound + "' is not an address of this dashboard",
            "host"),
        new DashboardCase("same-origin POST without a reply (uses the rate, invalid)", "POST", "/api/try", good,
            noReply, 400, "write a reply to score", null),
        new DashboardCase("same-origin POST without a reply, again", "POST", "/api/try", good, noReply, 400,
            "write a reply to score", null),
        new DashboardCase("same-origin POST beyond the burst of " + HostilePipeline.TRY_BURST, "POST", "/api/try",
            good, reply, 429, "too many replies to score; try again in a few seconds", "rate"));

    String scoredTurn = null;
    for (DashboardCase c : cases) {
      Map<String, Long> refusedBefore = refusals();
      RawHttp.Response r = RawHttp.send(port, c.method(), c.path(), c.headers(), c.body());
      Map<String, Long> refusedAfter = refusals();
      JsonNode body = JSON.readTree(r.body());
      String observed = r.status() + (body.has("error") ? ": " + body.get("error").asText()
          : ", scored " + body.get("turnId").asText() + " by v" + body.get("weightsVersion").asLong());
      REPORT.add("dashboard", c.input(), c.expected(), observed);
      assertThat(r.status()).as(c.input()).isEqualTo(c.status());
      if (c.error() == null) {
        scoredTurn = body.get("turnId").asText();
        assertThat(body.get("score").isNumber()).isTrue();
      } else {
        assertThat(body.get("error").asText()).as(c.input()).isEqualTo(c.error());
      }
      Map<String, Long> expected = new TreeMap<>(refusedBefore);
      if (c.refusal() != null) {
        expected.merge(c.refusal(), 1L, Long::sum);
      }
      assertThat(refusedAfter).as("exactly one refusal for '%s'", c.input()).isEqualTo(expected);
    }

    String control = pipeline.sendControl("dashboard-after");
    awaitScore(pipeline.outputs, control);
    pipeline.outputs.settle(SETTLE);
    assertThat(pipeline.outputs.scores(scoredTurn)).as("the accepted reply is scored once").hasSize(1);
    assertThat(pipeline.outputs.scores(control)).hasSize(1);
    assertThat(turnsWrittenByTheDashboard()).as("only the accepted request wrote turns")
        .containsExactlyInAnyOrder(scoredTurn.substring(0, scoredTurn.length() - 2), scoredTurn.substring(0,
            scoredTurn.length() - 2));
  }

  private static Map<String, String> with(Map<String, String> headers, String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    if (value == null) {
      h.remove(name);
    } else {
      h.put(name, value);
    }
    return h;
  }

  private static Map<String, Long> refusals() throws Exception {
    Map<String, Long> m = new TreeMap<>();
    summary().get("refusedRequests").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
    return m;
  }

  /** Keys (conversation ids) of every record the dashboard wrote to chat-turns. */
  private static List<String> turnsWrittenByTheDashboard() {
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.cluster.bootstrapServers()), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor(HostilePipeline.TURNS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && r.key().startsWith("try-")) {
            keys.add(r.key());
          }
        }
      }
    }
    return keys;
  }

  private static JsonNode summary() throws Exception {
    RawHttp.Response r = RawHttp.send(pipeline.dashboardPort, "GET", "/api/summary",
        Map.of("Host", "127.0.0.1:" + pipeline.dashboardPort), null);
    assertThat(r.status()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
