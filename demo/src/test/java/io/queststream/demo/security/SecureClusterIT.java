package io.queststream.demo.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queststream.demo.chaos.LocalCluster;
import io.queststream.demo.chaos.PlumbingHeads;
import io.queststream.demo.chaos.ProcessClasspath;
import io.queststream.demo.chaos.ScoringInstance;
import io.queststream.demo.infra.BrokerProcess;
import io.queststream.demo.infra.RegistryProcess;
import io.queststream.demo.infra.TopicSetup;
import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Ports;
import io.queststream.demo.process.Readiness;
import io.queststream.model.heads.HeadsFiles;
import io.queststream.model.signing.SigningKeys;
import io.queststream.model.signing.TrustedKeys;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.RegistryAvroSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real broker process on SASL_SSL + SCRAM-SHA-256 with the StandardAuthorizer and no access without an ACL. The
 * streams app runs as its own principal with the least-privilege ACL set of k8s/acls on topics the admin created;
 * other clients are kept out, a wrong password is refused, and no secret reaches the app's log.
 */
class SecureClusterIT {

  static int kafkaPort;
  static int controllerPort;
  static int registryPort;
  private static final String APP_USER = "quest-streams-app";
  private static final String APP_ID = "quest-stream-scoring";
  private static final String TRAINER_USER = "quest-trainer";

  static Path work;
  static TlsFiles tls;
  static WeightsKeys keys;
  static String adminPassword = "admin-" + Long.toHexString(System.nanoTime());
  static String appPassword = "app-" + Long.toHexString(System.nanoTime() * 31);
  static String intruderPassword = "intruder-" + Long.toHexString(System.nanoTime() * 17);
  static String trainerPassword = "trainer-" + Long.toHexString(System.nanoTime() * 13);
  static ManagedProcess broker;
  static ManagedProcess registry;
  static ScoringInstance app;
  static final List<String> outcomes = new ArrayList<>();

  @BeforeAll
  static void startSecuredPipeline() throws Exception {
    String classpath = ProcessClasspath.ofThisModule();
    work = ProcessClasspath.workDir("security");
    kafkaPort = LocalCluster.portOrFree(0);
    controllerPort = LocalCluster.portOrFree(0);
    registryPort = LocalCluster.portOrFree(0);
    tls = TlsFiles.generate(Files.createDirectories(work.resolve("tls")));
    keys = WeightsKeys.createOrLoad(work.resolve("signing"));
    Path logs = work.resolve("logs");
    // The registry needs no broker: it starts while the broker's storage is formatted and the broker starts.
    registry = RegistryProcess.start(ProcessClasspath.registryHome(), registryPort, logs);
    broker = BrokerProcess.start(classpath, work.resolve("broker"), kafkaPort, controllerPort, logs,
        SecureBroker.brokerProperties(kafkaPort, controllerPort, tls, adminPassword),
        SecureBroker.formatArguments(adminPassword));
    Readiness.await(broker, "secured broker", Duration.ofMinutes(2), () -> Ports.isListening(kafkaPort), quiet());
    try (Admin admin = Admin.create(asObjects(admin(adminPassword)))) {
      admin.alterUserScramCredentials(List.of(
          new UserScramCredentialUpsertion(APP_USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
              appPassword),
          new UserScramCredentialUpsertion("intruder", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
              intruderPassword),
          new UserScramCredentialUpsertion(TRAINER_USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
              4096), trainerPassword))).all().get();
      admin.createAcls(AppAcls.streamsApp(APP_USER, APP_ID)).all().get();
      admin.createAcls(AppAcls.trainer(TRAINER_USER, "quest-trainer")).all().get();
    }
    TopicSetup.create(asObjects(admin(adminPassword)), 3);
    Readiness.await(registry, "schema registry", Duration.ofMinutes(2),
        Readiness.httpOk("http://127.0.0.1:" + registryPort + "/health/ready"), quiet());

    List<String> settings = new ArrayList<>();
    SecureBroker.clientProperties("localhost:" + kafkaPort, tls, APP_USER, appPassword)
        .forEach((k, v) -> settings.add(k + "=" + v));
    settings.addAll(List.of("schema.registry.url=" + RegistryProcess.confluentApiUrl(registryPort),
        "application.id=" + APP_ID, "topics.create-missing=false",
        "weights.initial-file=" + PlumbingHeads.writeMiniLmFile(work.resolve("heads.avro"), keys.signer()),
        "weights.trusted-keys-file=" + keys.publicKeyFile()));
    app = new ScoringInstance("streams-app", classpath, work.resolve("app"), logs.resolve("streams-app.log"),
        settings);
    app.start();
    app.awaitReady(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
    ProcessClasspath.writeReport("security.md", String.join("\n", outcomes));
  }

  @Test
  void theAppWithItsOwnPrincipalAndLeastPrivilegeScoresTurnsEndToEnd() throws Exception {
    RegistryAvroSerde<ChatTurn> turns = new RegistryAvroSerde<>(ChatTurn.class);
    turns.configure(Map.of("schema.registry.url", RegistryProcess.confluentApiUrl(registryPort)), false);
    Set<String> expected = new HashSet<>();
    try (KafkaProducer<String, ChatTurn> producer = new KafkaProducer<>(asObjects(admin(adminPassword)),
        new StringSerializer(), turns.serializer())) {
      for (int i = 0; i < 5; i++) {
        String conversation = "secure-" + i;
        ChatTurn user = turn(conversation, conversation + "-u", "user", "Is the bridge safe tonight?", null);
        ChatTurn reply = turn(conversation, conversation + "-a", "assistant",
            "Safe enough, if you keep to the lanterns.", user.getTurnId());
        producer.send(new ProducerRecord<>("chat-turns", conversation, user)).get();
        producer.send(new ProducerRecord<>("chat-turns", conversation, reply)).get();
        expected.add(reply.getTurnId());
      }
    }
    RegistryAvroSerde<TurnScore> scores = new RegistryAvroSerde<>(TurnScore.class);
    scores.configure(Map.of("schema.registry.url", RegistryProcess.confluentApiUrl(registryPort)), false);
    // Counts per turn of this test only: the topic also holds the scores of the other tests on this cluster.
    Map<String, Integer> scored = new HashMap<>();
    Map<String, Object> read = new HashMap<>(asObjects(admin(adminPassword)));
    read.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(read, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor("turn-scores").stream()
          .map(p -> new TopicPartition("turn-scores", p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      // Reads on for a settle window after the last expected score, so that a second score of a turn is seen.
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String id = scores.deserializer().deserialize(r.topic(), r.value()).getTurnId();
          if (expected.contains(id)) {
            scored.merge(id, 1, Integer::sum);
          }
        }
        if (settleUntil == Long.MAX_VALUE && scored.keySet().containsAll(expected)) {
          settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        }
      }
    }
    outcomes.add("| streams app as User:" + APP_USER + " with the k8s/acls set, topics pre-created, "
        + "topics.create-missing=false | " + scored.size() + " of " + expected.size() + " assistant turns scored, "
        + scored.values().stream().mapToInt(Integer::intValue).sum() + " scores |");
    Map<String, Integer> once = new HashMap<>();
    expected.forEach(id -> once.put(id, 1));
    assertEquals(once, scored, "scores per turn");
    assertTrue(app.isAlive());
  }

  @Test
  void theTrainerPublishesASignedVersionUnderItsOwnPrincipalAndTheAppInstallsIt() throws Exception {
    Path config = work.resolve("trainer.properties");
    List<String> lines = new ArrayList<>();
    SecureBroker.clientProperties("localhost:" + kafkaPort, tls, TRAINER_USER, trainerPassword)
        .forEach((k, v) -> lines.add("kafka." + k + "=" + v.replace("\\", "\\\\")));
    lines.addAll(List.of("serde.schema.registry.url=" + RegistryProcess.confluentApiUrl(registryPort),
        "data.dir=" + work.resolve("trainer"), "signing.key.file=" + keys.privateKeyFile(), ""));
    Files.writeString(config, String.join("\n", lines));
    // The app runs v1 from its start-up file, which the trainer has not published: the trainer numbers versions from
    // the topic, so it publishes that file first (the app sees the version it runs and keeps it), then v2.
    publishAsTrainer(config, work.resolve("heads.avro"), "trainer-publish-v1");
    Path heads = work.resolve("v2-unsigned.avro");
    HeadsFiles.write(PlumbingHeads.forMiniLm(2, 2), heads);
    publishAsTrainer(config, heads, "trainer-publish");

    RegistryAvroSerde<RewardHeads> weights = new RegistryAvroSerde<>(RewardHeads.class);
    weights.configure(Map.of("schema.registry.url", RegistryProcess.confluentApiUrl(registryPort)), false);
    RewardHeads published = null;
    Map<String, Object> read = new HashMap<>(asObjects(admin(adminPassword)));
    read.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(read, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      TopicPartition weightsPartition = new TopicPartition("reward-weights", 0);
      consumer.assign(List.of(weightsPartition));
      consumer.seekToBeginning(List.of(weightsPartition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while ((published == null || published.getVersion() < 2) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          published = weights.deserializer().deserialize(r.topic(), r.value());
        }
      }
    }
    assertTrue(published != null, "a version is on reward-weights");
    TrustedKeys.of(SigningKeys.readPublicKeys(keys.publicKeyFile())).verify(published);
    String scoredBy = scoreOfAFreshTurnAfter(2);
    outcomes.add("| User:" + TRAINER_USER + " with the k8s/acls trainer set runs `trainer publish` | v"
        + published.getVersion() + " on reward-weights, signed by key " + published.getSignatureKeyId()
        + "; the app installed it: " + scoredBy + " |");
    assertEquals(2, published.getVersion());
  }

  private static void publishAsTrainer(Path config, Path heads, String name) throws Exception {
    ManagedProcess publish = ManagedProcess.startJava(name, ProcessClasspath.ofThisModule(),
        List.of("-Xmx256m"), "io.queststream.trainer.cli.TrainerCommand",
        List.of("publish", "--config", config.toString(), heads.toString()), work,
        work.resolve("logs").resolve(name + ".log"), Map.of());
    int exit = publish.waitFor(2, TimeUnit.MINUTES);
    assertEquals(0, exit, "trainer publish exit code; see " + publish.log());
  }

  /** Sends turns until one is scored by the given version; says which turn was. */
  private static String scoreOfAFreshTurnAfter(long version) throws Exception {
    RegistryAvroSerde<ChatTurn> turns = new RegistryAvroSerde<>(ChatTurn.class);
    turns.configure(Map.of("schema.registry.url", RegistryProcess.confluentApiUrl(registryPort)), false);
    RegistryAvroSerde<TurnScore> scores = new RegistryAvroSerde<>(TurnScore.class);
    scores.configure(Map.of("schema.registry.url", RegistryProcess.confluentApiUrl(registryPort)), false);
    Map<String, Object> read = new HashMap<>(asObjects(admin(adminPassword)));
    read.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaProducer<String, ChatTurn> producer = new KafkaProducer<>(asObjects(admin(adminPassword)),
        new StringSerializer(), turns.serializer());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(read, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor("turn-scores").stream()
          .map(p -> new TopicPartition("turn-scores", p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      for (int i = 0; System.nanoTime() < deadline; i++) {
        String conversation = "after-publish-" + i;
        producer.send(new ProducerRecord<>("chat-turns", conversation, turn(conversation, conversation + "-a",
            "assistant", "The ferry leaves at dawn, if the river allows.", null))).get();
        // The next turn goes as soon as this one is scored by an older version, or after 5 s without its score.
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean scored = false;
        while (!scored && System.nanoTime() < until) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            TurnScore s = scores.deserializer().deserialize(r.topic(), r.value());
            if (s.getWeightsVersion() == version) {
              return s.getTurnId() + " scored by v" + version;
            }
            scored |= s.getTurnId().equals(conversation + "-a");
          }
        }
      }
    }
    throw new AssertionError("no turn was scored by v" + version + " within 2 minutes");
  }

  @Test
  void aClientWithoutAclsCannotReadScores() {
    Map<String, Object> c = new HashMap<>(asObjects(client("intruder", intruderPassword)));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition("turn-scores", 0)));
      TopicAuthorizationException e = assertThrows(TopicAuthorizationException.class,
          () -> consumer.poll(Duration.ofSeconds(20)));
      outcomes.add("| User:intruder (no ACLs) reads turn-scores | " + e.getClass().getSimpleName() + ": "
          + e.getMessage() + " |");
      assertTrue(e.unauthorizedTopics().contains("turn-scores"));
    }
  }

  @Test
  void aClientWithoutAclsCannotWriteWeights() {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(asObjects(client("intruder",
        intruderPassword)), new ByteArraySerializer(), new ByteArraySerializer())) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> producer.send(new ProducerRecord<>("reward-weights", WeightsContract.MODEL_NAME.getBytes(),
              new byte[] {0})).get());
      outcomes.add("| User:intruder (no ACLs) writes reward-weights | " + e.getCause().getClass().getSimpleName()
          + ": " + e.getCause().getMessage() + " |");
      assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }
  }

  @Test
  void theAppsOwnPrincipalCannotWriteWeights() {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(asObjects(client(APP_USER, appPassword)),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> producer.send(new ProducerRecord<>("reward-weights", WeightsContract.MODEL_NAME.getBytes(),
              new byte[] {0})).get());
      outcomes.add("| User:" + APP_USER + " writes reward-weights (it may only read them) | "
          + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + " |");
      assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }
  }

  @Test
  void aWrongPasswordFailsWithAClearAuthenticationError() {
    try (Admin admin = Admin.create(asObjects(client(APP_USER, "not-the-password")))) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> admin.listTopics().names().get());
      outcomes.add("| User:" + APP_USER + " with a wrong password | " + e.getCause().getClass().getSimpleName()
          + ": " + e.getCause().getMessage() + " |");
      assertInstanceOf(SaslAuthenticationException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("Authentication failed"), e.getCause().getMessage());
    }
  }

  @Test
  void noSecretReachesTheAppsLog() throws Exception {
    String log = Files.readString(app.log());
    assertTrue(log.contains("-> RUNNING"), "the log covers a running app");
    for (String secret : List.of(appPassword, adminPassword, tls.password())) {
      assertFalse(log.contains(secret), "a secret appears in " + app.log());
    }
    outcomes.add("| app log (" + log.lines().count() + " lines) searched for the app, admin and truststore "
        + "passwords | none found |");
    assertTrue(app.isAlive(), "the app, never restarted, still runs");
  }

  private static ChatTurn turn(String conversation, String id, String role, String text, String parent) {
    return ChatTurn.newBuilder().setTurnId(id).setConversationId(conversation).setRole(role).setText(text)
        .setCharacterId("innkeeper").setParentTurnId(parent).setCreatedAt(Instant.now()).build();
  }

  private static Map<String, String> admin(String password) {
    return client(SecureBroker.ADMIN, password);
  }

  private static Map<String, String> client(String user, String password) {
    return SecureBroker.clientProperties("localhost:" + kafkaPort, tls, user, password);
  }

  private static Map<String, Object> asObjects(Map<String, String> m) {
    return new HashMap<>(m);
  }

  private static Readiness.Progress quiet() {
    return new Readiness.Progress() {
      @Override
      public void waiting(String what, Duration elapsed) {}

      @Override
      public void ready(String what, Duration took) {}
    };
  }
}
