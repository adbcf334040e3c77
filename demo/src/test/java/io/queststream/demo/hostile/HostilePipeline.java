package io.queststream.demo.hostile;

import io.queststream.demo.chaos.LocalCluster;
import io.queststream.demo.chaos.PlumbingHeads;
import io.queststream.demo.chaos.ProcessClasspath;
import io.queststream.demo.chaos.ScoringInstance;
import io.queststream.demo.dashboard.DashboardMain;
import io.queststream.demo.process.AtOnce;
import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Readiness;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.serde.RegistryAvroSerde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The pipeline a hostile corpus runs against, as an operator would run it: a broker and a schema registry, one
 * streams-app JVM (MiniLM, signed plumbing weights v1, trusting the run's signing key), one dashboard JVM whose
 * form allows a burst of {@link #TRY_BURST} replies and no refill during the run, and a second streams-app JVM
 * ({@link #TEMPLATE_HEAP} heap) whose model directory carries a backdoored chat template
 * ({@link BackdooredTemplateModel}), on its own topics ({@link #templateTopic}). Started once per test run and
 * shared by the corpus classes; it stays up, idle but not free (a broker and two stream apps polling), until the run
 * ends, so those classes run after every other one ({@link #RUNS_LAST}).
 */
final class HostilePipeline implements ExtensionContext.Store.CloseableResource {

  static final String TURNS = "chat-turns";
  static final String CARDS = "character-cards";
  static final String WEIGHTS = "reward-weights";
  static final String SCORES = "turn-scores";
  static final String MODERATION = "moderation-events";
  static final String DEAD_LETTERS = "scoring-dlq";
  /** The {@code @Order} of the corpus classes: after every other test class of the run. */
  static final int RUNS_LAST = Integer.MAX_VALUE;
  static final int TRY_BURST = 3;
  static final String TEMPLATE_HEAP = "384m";
  private static final String TEMPLATE_PREFIX = "template-";

  final String classpath;
  final Path work;
  final LocalCluster cluster;
  final WeightsKeys keys;
  final ScoringInstance app;
  final ScoringInstance templateApp;
  final ManagedProcess dashboard;
  final int dashboardPort;
  final KafkaProducer<String, byte[]> producer;
  final PipelineOutputs outputs;
  final PipelineOutputs templateOutputs;
  private final RegistryAvroSerde<ChatTurn> turns = new RegistryAvroSerde<>(ChatTurn.class);
  private final RegistryAvroSerde<RewardHeads> heads = new RegistryAvroSerde<>(RewardHeads.class);
  private final RegistryAvroSerde<CharacterCard> cards = new RegistryAvroSerde<>(CharacterCard.class);

  private HostilePipeline(String classpath, Path work, LocalCluster cluster, WeightsKeys keys,
      ScoringInstance app, ScoringInstance templateApp, ManagedProcess dashboard, int dashboardPort) {
    this.classpath = classpath;
    this.work = work;
    this.cluster = cluster;
    this.keys = keys;
    this.app = app;
    this.templateApp = templateApp;
    this.dashboard = dashboard;
    this.dashboardPort = dashboardPort;
    Map<String, Object> serde = Map.of("schema.registry.url", cluster.registryUrl());
    turns.configure(serde, false);
    heads.configure(serde, false);
    cards.configure(serde, false);
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 40 * 1024 * 1024,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 96L * 1024 * 1024), new StringSerializer(), new ByteArraySerializer());
    outputs = new PipelineOutputs(cluster.bootstrapServers(), cluster.registryUrl(), SCORES, MODERATION,
        DEAD_LETTERS);
    templateOutputs = new PipelineOutputs(cluster.bootstrapServers(), cluster.registryUrl(), templateTopic(SCORES),
        templateTopic(MODERATION), templateTopic(DEAD_LETTERS));
  }

  /** The run's shared pipeline, started by whichever corpus class comes first. */
  static HostilePipeline shared(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(HostilePipeline.class))
        .getOrComputeIfAbsent(HostilePipeline.class.getName(), k -> {
          try {
            return start();
          } catch (Exception e) {
            throw new IllegalStateException("could not start the hostile-corpus pipeline: " + e.getMessage(), e);
          }
        }, HostilePipeline.class);
  }

  private static HostilePipeline start() throws Exception {
    String classpath = ProcessClasspath.ofThisModule();
    Path work = ProcessClasspath.workDir("hostile");
    LocalCluster cluster = LocalCluster.start(classpath, work.resolve("cluster"), ProcessClasspath.registryHome(),
        LocalCluster.portOrFree(0), LocalCluster.portOrFree(0), LocalCluster.portOrFree(0), 3);
    ScoringInstance app = null;
    ScoringInstance templateApp = null;
    ManagedProcess dashboard = null;
    try {
      WeightsKeys keys = WeightsKeys.createOrLoad(work.resolve("signing"));
      Path heads = PlumbingHeads.writeMiniLmFile(work.resolve("heads.avro"), keys.signer());
      app = new ScoringInstance("streams-app", classpath, work.resolve("app"),
          cluster.logs().resolve("app.log"), List.of("bootstrap.servers=" + cluster.bootstrapServers(),
          "schema.registry.url=" + cluster.registryUrl(), "application.id=quest-stream-hostile",
          "weights.initial-file=" + heads, "weights.trusted-keys-file=" + keys.publicKeyFile(),
          "embeddings.enabled=false"));
      app.start();
      Path templateModel = BackdooredTemplateModel.write(work.resolve("backdoored-model"), work.resolve("models"));
      List<String> templateSettings = new ArrayList<>(List.of("bootstrap.servers=" + cluster.bootstrapServers(),
          "schema.registry.url=" + cluster.registryUrl(), "application.id=quest-stream-hostile-template",
          "weights.initial-file=" + heads, "weights.trusted-keys-file=" + keys.publicKeyFile(),
          "embeddings.enabled=false", "model.name=" + templateModel,
          "topics.dead-letters=" + templateTopic(DEAD_LETTERS)));
      for (String topic : List.of(TURNS, CARDS, SCORES, MODERATION, "turn-embeddings", WEIGHTS)) {
        templateSettings.add("topics." + topic + "=" + templateTopic(topic));
      }
      templateApp = new ScoringInstance("streams-app-template", classpath, work.resolve("template-app"),
          cluster.logs().resolve("template-app.log"), templateSettings, TEMPLATE_HEAP);
      templateApp.start();
      int dashboardPort = LocalCluster.portOrFree(0);
      dashboard = ManagedProcess.startJava("dashboard", classpath, List.of("-Xmx256m"),
          DashboardMain.class.getName(), List.of("--bootstrap-servers", cluster.bootstrapServers(),
              "--schema-registry-url", cluster.registryUrl(), "--port", Integer.toString(dashboardPort),
              "--try-burst", Integer.toString(TRY_BURST), "--try-refill-ms", Long.toString(Duration.ofHours(1)
                  .toMillis())), work, cluster.logs().resolve("dashboard.log"), Map.of());
      app.awaitReady(Duration.ofMinutes(5));
      templateApp.awaitReady(Duration.ofMinutes(5));
      Readiness.await(dashboard, "dashboard", Duration.ofMinutes(2),
          Readiness.httpOk("http://127.0.0.1:" + dashboardPort + "/api/summary"), quiet());
      return new HostilePipeline(classpath, work, cluster, keys, app, templateApp, dashboard, dashboardPort);
    } catch (Exception e) {
      if (dashboard != null) {
        dashboard.close();
      }
      if (templateApp != null) {
        templateApp.close();
      }
      if (app != null) {
        app.close();
      }
      cluster.close();
      throw e;
    }
  }

  private static Readiness.Progress quiet() {
    return new Readiness.Progress() {
      @Override
      public void waiting(String what, Duration elapsed) {}

      @Override
      public void ready(String what, Duration took) {}
    };
  }

  /** Where a record landed. */
  record Position(String topic, int partition, long offset) {
    String key() {
      return PipelineOutputs.position(topic, partition, offset);
    }
  }

  /** The template app's name for one of the pipeline's topics. */
  static String templateTopic(String topic) {
    return TEMPLATE_PREFIX + topic;
  }

  Position send(String topic, String key, byte[] value) throws Exception {
    return send(new ProducerRecord<>(topic, key, value));
  }

  private Position send(ProducerRecord<String, byte[]> record) throws Exception {
    RecordMetadata m = producer.send(record).get();
    return new Position(m.topic(), m.partition(), m.offset());
  }

  Position sendWeights(String key, RewardHeads record) throws Exception {
    return send(WEIGHTS, key, heads.serializer().serialize(WEIGHTS, record));
  }

  Position sendTurn(ChatTurn turn) throws Exception {
    return sendTurn(TURNS, turn);
  }

  Position sendTurn(String topic, ChatTurn turn) throws Exception {
    return send(topic, turn.getConversationId(), turns.serializer().serialize(topic, turn));
  }

  /** To one partition whatever the key: turns on one partition wait for each other. */
  Position sendTurn(String topic, int partition, ChatTurn turn) throws Exception {
    return send(new ProducerRecord<>(topic, partition, turn.getConversationId(),
        turns.serializer().serialize(topic, turn)));
  }

  Position sendCard(String topic, CharacterCard card) throws Exception {
    return send(topic, card.getCharacterId(), cards.serializer().serialize(topic, card));
  }

  /** A user turn and an assistant reply in a new conversation; returns the reply's turn id. */
  String sendControl(String conversation) throws Exception {
    ChatTurn user = turn(conversation, conversation + "-u", "user", "Tell me about the old lighthouse.", null);
    ChatTurn reply = turn(conversation, conversation + "-a", "assistant",
        "The keeper lit it every night for forty years, until the storm.", user.getTurnId());
    sendTurn(user);
    sendTurn(reply);
    return reply.getTurnId();
  }

  static ChatTurn turn(String conversation, String id, String role, String text, String parent) {
    return ChatTurn.newBuilder().setTurnId(id).setConversationId(conversation).setRole(role).setText(text)
        .setCharacterId("innkeeper").setParentTurnId(parent).setCreatedAt(Instant.now()).build();
  }

  /** The streams app's Prometheus text. */
  String appMetrics() throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() {
    outputs.close();
    templateOutputs.close();
    producer.close();
    AtOnce.run(List.of(dashboard::close, templateApp::close, app::close));
    cluster.close();
  }
}
