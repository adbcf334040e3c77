package io.queststream.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queststream.demo.process.AtOnce;
import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.AttributeRating;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.RandomHeads;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.errors.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The bad-input corpus against real processes: broker, registry, one streams-app JVM and the trainer's feedback
 * consumer. Each malformed or hostile record must end where the product promises (a dead letter with its cause, a
 * weights rejection, or a score when the input is odd but legal), the app must stay up, and good turns sent after the
 * corpus must be scored. Every case is checked for its exact outcome: the cause code of its one dead letter (a
 * second would be seen: the outputs are read on until they stay quiet for 10 s, and repeats are kept), or exactly
 * one score. The observed outcome of every case is written to target/reliability/bad-input.md.
 */
class BadInputIT {

  private static final String TURNS = "chat-turns";
  private static final String WEIGHTS = "reward-weights";
  private static final String CARDS = "character-cards";
  private static final String RATINGS = "turn-ratings";
  private static final String PREFERENCES = "turn-preferences";
  private static final String APP_DLQ = "scoring-dlq";
  private static final String TRAINER_DLQ = "trainer-dlq";

  /** Where a case must end. */
  enum Expect { DEAD_LETTER, SCORED, SCORED_TWICE, WEIGHTS_REJECTED, WEIGHTS_INSTALLED, TRAINER_DEAD_LETTER }

  /**
   * One case of the corpus.
   *
   * @param cause the cause code its one dead letter must carry (reason header, serde reason or trainer cause); null
   *     when it must not be dead-lettered
   */
  record Sent(String name, String topic, String what, Expect expect, String cause, int partition, long offset,
      String turnId) {}

  static Path work;
  static LocalCluster cluster;
  static ScoringInstance app;
  static ManagedProcess trainer;
  static KafkaProducer<String, byte[]> producer;
  static Map<String, Object> serdeConfig;
  static WeightsKeys keys;

  @BeforeAll
  static void startPipeline() throws Exception {
    String classpath = ProcessClasspath.ofThisModule();
    work = ProcessClasspath.workDir("bad-input");
    cluster = LocalCluster.start(classpath, work.resolve("cluster"), ProcessClasspath.registryHome(),
        LocalCluster.portOrFree(0), LocalCluster.portOrFree(0), LocalCluster.portOrFree(0), 3);
    serdeConfig = Map.of("schema.registry.url", cluster.registryUrl());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TRAINER_DLQ, 1, (short) 1))).all().get();
    }
    keys = WeightsKeys.createOrLoad(work.resolve("signing"));
    Path heads = PlumbingHeads.writeMiniLmFile(work.resolve("heads.avro"), keys.signer());
    app = new ScoringInstance("streams-app", classpath, work.resolve("app"), cluster.logs().resolve("app.log"),
        List.of("bootstrap.servers=" + cluster.bootstrapServers(), "schema.registry.url=" + cluster.registryUrl(),
            "application.id=quest-stream-bad-input", "weights.initial-file=" + heads, "embeddings.enabled=false",
            "weights.trusted-keys-file=" + keys.publicKeyFile()));
    app.start();
    Path trainerConfig = work.resolve("trainer.properties");
    Files.writeString(trainerConfig, String.join("\n",
        "kafka.bootstrap.servers=" + cluster.bootstrapServers(),
        "serde.schema.registry.url=" + cluster.registryUrl(),
        "data.dir=" + work.resolve("trainer"),
        "backbone.id=sentence-transformers/all-MiniLM-L6-v2",
        "signing.key.file=" + keys.privateKeyFile(), ""));
    trainer = ManagedProcess.startJava("trainer", classpath, List.of("-Xmx512m"),
        "io.queststream.trainer.cli.TrainerCommand",
        List.of("-c", trainerConfig.toString(), "run"), work, cluster.logs().resolve("trainer.log"),
        Map.of("DJL_OFFLINE", "true"));
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 40 * 1024 * 1024,
        ProducerConfig.BUFFER_MEMORY_CONFIG, 96L * 1024 * 1024), new StringSerializer(), new ByteArraySerializer());
    app.awaitReady(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopPipeline() {
    if (producer != null) {
      producer.close();
    }
    List<Runnable> stops = new ArrayList<>();
    if (trainer != null) {
      stops.add(trainer::close);
    }
    if (app != null) {
      stops.add(app::close);
    }
    AtOnce.run(stops);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyBadInputEndsWithItsCauseAndGoodTurnsAroundItAreScored() throws Exception {
    List<Sent> sent = new ArrayList<>();
    List<String> controls = new ArrayList<>();
    controls.addAll(sendConversation("control-before"));
    sendCorpus(sent);
    controls.addAll(sendConversation("control-after"));

    Outputs outputs = new Outputs();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    List<String> probes = new ArrayList<>();
    while (System.nanoTime() < deadline && !outputs.complete(sent, controls, probes)) {
      probes.add(sendConversation("probe-" + probes.size()).get(0));
      // A probe every 2 s at most; the outputs are read meanwhile, so the corpus is seen complete as it completes.
      outputs.readUntil(() -> outputs.complete(sent, controls, probes), Duration.ofSeconds(2));
    }
    // A second dead letter or score of any case would come after the first: read on until 10 s pass quietly.
    outputs.settle(Duration.ofSeconds(10));

    StringBuilder table = new StringBuilder(
        "| # | input | topic | expected | observed |\n|---|---|---|---|---|\n");
    List<Executable> checks = new ArrayList<>();
    int n = 1;
    for (Sent s : sent) {
      Observation o = outputs.observe(s, probes);
      table.append("| ").append(n++).append(" | ").append(s.what()).append(" | ").append(s.topic()).append(" | ")
          .append(s.expect()).append(s.cause() == null ? "" : " " + s.cause()).append(" | ")
          .append(o.text().replace("|", "\\|").replace("\n", " ")).append(" |\n");
      checks.add(() -> {
        assertEquals(s.expect(), o.outcome(), s.name() + ": " + o.text());
        assertEquals(s.cause() == null ? 0 : 1, o.deadLetters().size(), s.name() + ": dead letters " + o.text());
        if (s.cause() != null) {
          assertEquals(s.cause(), o.deadLetters().get(0).cause(), s.name() + ": cause of " + o.text());
        }
      });
    }
    ProcessClasspath.writeReport("bad-input.md", table.toString());
    System.out.println(table);

    assertTrue(sent.size() >= 25, "corpus size " + sent.size());
    assertTrue(app.isAlive(), "the streams app, never restarted, is still running");
    checks.add(() -> assertEquals(List.of(), controls.stream().filter(c -> outputs.scores.getOrDefault(c, List.of())
        .size() != 1).toList(), "good turns before and after the corpus scored exactly once"));
    checks.add(() -> assertEquals(List.of(), outputs.unexplained(sent), "dead letters of no case"));
    assertAll(checks);
  }

  // ---- the corpus ----

  private void sendCorpus(List<Sent> sent) throws Exception {
    RegistryAvroSerde<ChatTurn> turns = serde(ChatTurn.class, Map.of());
    byte[] valid = turns.serializer().serialize(TURNS, turn("valid", "assistant", "A fine reply."));

    raw(sent, "not-avro", "bytes that are not Avro (JSON)", Expect.DEAD_LETTER, "BAD_MAGIC_BYTE", TURNS, "c-not-avro",
        "{\"role\":\"assistant\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8), null);
    byte[] wrongMagic = valid.clone();
    wrongMagic[0] = 7;
    raw(sent, "wrong-magic", "wrong magic byte (7 instead of 0)", Expect.DEAD_LETTER, "BAD_MAGIC_BYTE", TURNS, "c-magic", wrongMagic,
        null);
    byte[] unknownId = valid.clone();
    ByteBuffer.wrap(unknownId).putInt(1, 987_654);
    raw(sent, "unknown-schema-id", "schema id 987654 that the registry does not know", Expect.DEAD_LETTER,
        "UNKNOWN_SCHEMA_ID", TURNS,
        "c-unknown-id", unknownId, null);
    raw(sent, "truncated-avro", "valid frame cut in half", Expect.DEAD_LETTER, "CORRUPT_PAYLOAD", TURNS, "c-truncated",
        Arrays.copyOf(valid, valid.length / 2), null);
    raw(sent, "magic-only", "a lone magic byte", Expect.DEAD_LETTER, "TRUNCATED_FRAME", TURNS, "c-magic-only", new byte[] {0}, null);
    RegistryAvroSerde<CharacterCard> cardsByRecord =
        serde(CharacterCard.class, Map.of("subject.name.strategy", "record"));
    raw(sent, "schema-incompatible", "a CharacterCard frame (registered schema, wrong record type)",
        Expect.DEAD_LETTER, "INCOMPATIBLE_SCHEMA", TURNS, "c-incompatible", cardsByRecord.serializer().serialize(TURNS, card("x")), null);
    raw(sent, "null-value", "tombstone (no value)", Expect.DEAD_LETTER, "NULL_VALUE", TURNS, "c-null", null, null);

    turn(sent, "empty-text", "empty text", Expect.DEAD_LETTER, "EMPTY_TEXT", turn("c-empty", "assistant", ""));
    turn(sent, "blank-text", "whitespace-only text", Expect.DEAD_LETTER, "EMPTY_TEXT", turn("c-blank", "assistant", " \t\n "));
    turn(sent, "one-megabyte-text", "1 MiB of text", Expect.DEAD_LETTER, "OVERSIZED_TEXT",
        turn("c-1mb", "assistant", "a".repeat(1024 * 1024)));
    turn(sent, "just-over-limit", "16,001 characters (limit 16,000)", Expect.DEAD_LETTER, "OVERSIZED_TEXT",
        turn("c-16001", "assistant", "b".repeat(16_001)));
    turn(sent, "control-characters", "NUL, BEL, ESC sequences and backspaces in the text", Expect.SCORED, null,
        turn("c-control", "assistant", "\u0000\u0007 hello \u001b[31mred\u001b[0m \b\b ok"));
    turn(sent, "lone-surrogates", "invalid UTF-16 (lone surrogates) in the text", Expect.SCORED, null,
        turn("c-surrogates", "assistant", "broken \uD800 pair \uDFFF end"));
    turn(sent, "unknown-role", "role 'narrator'", Expect.DEAD_LETTER, "UNKNOWN_ROLE", turn("c-role", "narrator", "The wind howls."));
    turn(sent, "role-wrong-case", "role 'Assistant' (roles are case-sensitive)", Expect.DEAD_LETTER, "UNKNOWN_ROLE",
        turn("c-role-case", "Assistant", "Hello."));
    turn(sent, "empty-turn-id", "empty turn_id", Expect.DEAD_LETTER, "MISSING_TURN_ID",
        ChatTurn.newBuilder(turn("c-no-id", "assistant", "Hi.")).setTurnId("").build());
    turn(sent, "empty-conversation-id", "empty conversation_id (key set)", Expect.DEAD_LETTER,
        "MISSING_CONVERSATION_ID",
        ChatTurn.newBuilder(turn("c-no-conv", "assistant", "Hi.")).setConversationId("").build(), "c-no-conv");
    turn(sent, "key-mismatch", "key names another conversation", Expect.DEAD_LETTER, "KEY_MISMATCH",
        turn("c-key", "assistant", "Hi."), "some-other-conversation");
    turn(sent, "null-key", "no key", Expect.DEAD_LETTER, "KEY_MISMATCH", turn("c-null-key", "assistant", "Hi."), null);
    malformedKey(sent, turns);
    turn(sent, "assistant-without-history", "assistant turn opening a conversation", Expect.SCORED, null,
        turn("c-no-history", "assistant", "Welcome, traveller. What brings you here?"));
    turn(sent, "missing-character", "character_id with no card", Expect.SCORED, null,
        ChatTurn.newBuilder(turn("c-no-card", "assistant", "I am nobody.")).setCharacterId("no-such-character")
            .build());
    ChatTurn dup = turn("c-duplicate", "assistant", "Said once, sent twice.");
    turn(sent, "duplicate-turn-id-first", "the same turn id sent twice: first copy", Expect.SCORED, null, dup);
    // The copy is found by its position, not its turn id, which names the first copy's score too; the first copy's
    // case checks that the turn id is scored exactly once.
    raw(sent, "duplicate-turn-id-second", "the same turn id sent twice: second copy", Expect.DEAD_LETTER,
        "DUPLICATE_TURN_ID", TURNS, dup.getConversationId(),
        serde(ChatTurn.class, Map.of()).serializer().serialize(TURNS, dup), null);
    turn(sent, "out-of-order", "assistant turn whose parent arrives after it", Expect.SCORED, null,
        ChatTurn.newBuilder(turn("c-order", "assistant", "As you asked.")).setParentTurnId("c-order-user").build());
    ChatTurn lateParent = ChatTurn.newBuilder(turn("c-order", "user", "Go on.")).setTurnId("c-order-user").build();
    producer.send(new ProducerRecord<>(TURNS, "c-order", turns.serializer().serialize(TURNS, lateParent))).get();
    turn(sent, "many-tokens", "15,000 characters of words (over the backbone's 512 positions)", Expect.SCORED, null,
        turn("c-tokens", "assistant", "tell me more ".repeat(1_150)));

    // Signed with the trusted key, as a faulty trainer would publish them: the checks after the signature must stop
    // them (the hostile corpus covers unsigned and forged records).
    RegistryAvroSerde<RewardHeads> heads = serde(RewardHeads.class, Map.of());
    weights(sent, "weights-wrong-dims", "weights for a 128-d backbone", Expect.WEIGHTS_REJECTED, "BACKBONE_MISMATCH",
        heads.serializer().serialize(WEIGHTS, keys.signer().sign(RandomHeads.of(
            ModelConfig.MINILM_BACKBONE_ID, "mean", 128, 2, 2))));
    weights(sent, "weights-nan", "weights with NaN in W", Expect.WEIGHTS_REJECTED, "NON_FINITE",
        heads.serializer().serialize(WEIGHTS, keys.signer().sign(withNaN(PlumbingHeads.forMiniLm(3, 3)))));
    weights(sent, "weights-wrong-backbone", "weights for another backbone id", Expect.WEIGHTS_REJECTED,
        "BACKBONE_MISMATCH", heads.serializer().serialize(WEIGHTS, keys.signer().sign(
            RewardHeads.newBuilder(PlumbingHeads.forMiniLm(4, 4)).setBackboneId("meta-llama/Llama-3-8B").build())));
    byte[] good = heads.serializer().serialize(WEIGHTS, keys.signer().sign(PlumbingHeads.forMiniLm(5, 5)));
    weights(sent, "weights-truncated", "weights record cut in half", Expect.WEIGHTS_REJECTED, "CORRUPT_PAYLOAD",
        Arrays.copyOf(good, good.length / 2));
    weights(sent, "weights-huge-wrong-dims", "25 MB weights for a 4096-d backbone (full gating MLP)",
        Expect.WEIGHTS_REJECTED, "BACKBONE_MISMATCH",
        heads.serializer().serialize(WEIGHTS, keys.signer().sign(fullGating(4096, 6))));
    weights(sent, "weights-huge-valid", "9.7 MB valid weights (384-d, full 3x1024 gating MLP), version 7",
        Expect.WEIGHTS_INSTALLED, null, heads.serializer().serialize(WEIGHTS, keys.signer().sign(fullGating(384, 7))));

    RegistryAvroSerde<AttributeRating> ratings = serde(AttributeRating.class, Map.of());
    RegistryAvroSerde<PreferencePair> pairs = serde(PreferencePair.class, Map.of());
    feedback(sent, "rating-out-of-scale", "rating 42 on a 1-10 scale", "RATING_OUT_OF_SCALE", RATINGS, "t-1",
        ratings.serializer().serialize(RATINGS, rating("r-scale", 42f)));
    feedback(sent, "rating-nan", "rating NaN", "NOT_A_NUMBER", RATINGS, "t-2", ratings.serializer().serialize(RATINGS,
        rating("r-nan", Float.NaN)));
    feedback(sent, "rating-not-avro", "rating bytes that are not Avro", "UNDECODABLE", RATINGS, "t-3",
        "rating: 5".getBytes(StandardCharsets.UTF_8));
    feedback(sent, "preference-same-turn", "preference with chosen == rejected", "SAME_TURN_TWICE", PREFERENCES, "ctx-1",
        pairs.serializer().serialize(PREFERENCES, PreferencePair.newBuilder().setPairId("p-same").setContextId("ctx-1")
            .setConversationId(null).setChosenTurnId("t-9").setRejectedTurnId("t-9").setSource("swipe")
            .setRaterId(null).setWeight(1f)
            .setCreatedAt(Instant.now()).build()));
    producer.flush();
  }

  private void raw(List<Sent> sent, String name, String what, Expect expect, String cause, String topic, String key,
      byte[] value, String turnId) throws Exception {
    RecordMetadata m = producer.send(new ProducerRecord<>(topic, key, value)).get();
    sent.add(new Sent(name, topic, what, expect, cause, m.partition(), m.offset(), turnId));
  }

  /** A key that is not UTF-8, read leniently "c-" and U+FFFD: the very conversation id the turn names. */
  private void malformedKey(List<Sent> sent, RegistryAvroSerde<ChatTurn> turns) throws Exception {
    ChatTurn t = turn("c-\ufffd", "assistant", "Hi.");
    try (KafkaProducer<byte[], byte[]> byteKeys = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      RecordMetadata m = byteKeys.send(new ProducerRecord<>(TURNS, new byte[] {'c', '-', (byte) 0xff},
          turns.serializer().serialize(TURNS, t))).get();
      sent.add(new Sent("malformed-key", TURNS, "a key that is not UTF-8 (byte 0xff)", Expect.DEAD_LETTER,
          "MALFORMED_KEY", m.partition(), m.offset(), t.getTurnId()));
    }
  }

  private void turn(List<Sent> sent, String name, String what, Expect expect, String cause, ChatTurn t)
      throws Exception {
    turn(sent, name, what, expect, cause, t, t.getConversationId());
  }

  private void turn(List<Sent> sent, String name, String what, Expect expect, String cause, ChatTurn t, String key)
      throws Exception {
    byte[] bytes = serde(ChatTurn.class, Map.of()).serializer().serialize(TURNS, t);
    raw(sent, name, what, expect, cause, TURNS, key, bytes, t.getTurnId());
  }

  private void weights(List<Sent> sent, String name, String what, Expect expect, String cause, byte[] bytes)
      throws Exception {
    raw(sent, name, what, expect, cause, WEIGHTS, PlumbingHeads.MODEL_NAME, bytes, null);
  }

  private void feedback(List<Sent> sent, String name, String what, String cause, String topic, String key,
      byte[] bytes) throws Exception {
    raw(sent, name, what, Expect.TRAINER_DEAD_LETTER, cause, topic, key, bytes, null);
  }

  /** A user turn and an assistant reply in a new conversation; returns the assistant turn's id. */
  private List<String> sendConversation(String conversation) throws Exception {
    RegistryAvroSerde<ChatTurn> turns = serde(ChatTurn.class, Map.of());
    ChatTurn user = ChatTurn.newBuilder(turn(conversation, "user", "Tell me about the old lighthouse."))
        .setTurnId(conversation + "-u").build();
    ChatTurn reply = ChatTurn.newBuilder(turn(conversation, "assistant",
        "The keeper lit it every night for forty years, until the storm.")).setParentTurnId(user.getTurnId()).build();
    for (ChatTurn t : List.of(user, reply)) {
      producer.send(new ProducerRecord<>(TURNS, conversation, turns.serializer().serialize(TURNS, t))).get();
    }
    return List.of(reply.getTurnId());
  }

  private static ChatTurn turn(String conversation, String role, String text) {
    return ChatTurn.newBuilder().setTurnId(conversation + "-" + role).setConversationId(conversation).setRole(role)
        .setText(text).setCharacterId("innkeeper").setCreatedAt(Instant.now()).build();
  }

  private static CharacterCard card(String id) {
    return CharacterCard.newBuilder().setCharacterId(id).setName("X").setPersona("p").setScenario("s")
        .setGreeting("g").setExampleDialogue(null).setTags(List.of()).setVersion(1).setUpdatedAt(Instant.now()).build();
  }

  private static AttributeRating rating(String id, float value) {
    return AttributeRating.newBuilder().setRatingId(id).setTurnId("t-" + id).setRaterId(null).setSource("moderator")
        .setRatings(Map.of("character_consistency", value)).setScaleMin(1f).setScaleMax(10f)
        .setCreatedAt(Instant.now()).build();
  }

  private static RewardHeads withNaN(RewardHeads heads) {
    float[] w = Matrices.values(heads.getRegression());
    w[7] = Float.NaN;
    return RewardHeads.newBuilder(heads).setRegression(Matrices.of(heads.getRegression().getRows(),
        heads.getRegression().getCols(), w)).build();
  }

  private static RewardHeads fullGating(int dim, long version) {
    return RandomHeads.withGating(ModelConfig.MINILM_BACKBONE_ID, "mean", dim, version, version, 1024, 3);
  }

  private static <T extends SpecificRecord> RegistryAvroSerde<T> serde(Class<T> type,
      Map<String, Object> extra) {
    RegistryAvroSerde<T> s = new RegistryAvroSerde<>(type);
    Map<String, Object> c = new HashMap<>(serdeConfig);
    c.putAll(extra);
    s.configure(c, false);
    return s;
  }

  // ---- what came out ----

  /** One dead letter: its cause code and a readable line. */
  record DeadLetter(String cause, String text) {}

  /**
   * @param deadLetters every dead letter of the case, in the order they came (a case with two has two)
   */
  record Observation(Expect outcome, String text, List<DeadLetter> deadLetters) {}

  /** Everything on the output topics, read as a read_committed consumer sees it; repeats are kept, not merged. */
  static final class Outputs {
    final Map<String, List<TurnScore>> scores = new HashMap<>();
    final Map<String, List<DeadLetter>> deadLetters = new HashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private static final String TURN = "turn:";
    private final Deserializer<TurnScore> scoreReader;
    private final Deserializer<ChatTurn> turnReader;
    private int seen;

    Outputs() {
      consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
      List<TopicPartition> parts = new ArrayList<>();
      for (String topic : List.of("turn-scores", APP_DLQ, TRAINER_DLQ)) {
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
            .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      scoreReader = serde(TurnScore.class, Map.of()).deserializer();
      turnReader = serde(ChatTurn.class, Map.of()).deserializer();
    }

    void read() {
      for (int i = 0; i < 5; i++) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
          seen++;
          if (r.topic().equals("turn-scores")) {
            TurnScore s = scoreReader.deserialize(r.topic(), r.value());
            scores.computeIfAbsent(s.getTurnId(), k -> new ArrayList<>()).add(s);
          } else if (r.topic().equals(APP_DLQ)) {
            DeadLetter dl = appDeadLetter(r);
            String key = header(r, DeadLetterHeaders.TOPIC) != null
                ? position(header(r, DeadLetterHeaders.TOPIC), header(r, DeadLetterHeaders.PARTITION),
                    header(r, DeadLetterHeaders.OFFSET))
                // Dead letters written when a batch is flushed by the punctuator carry no source position; the
                // turn they hold names itself.
                : TURN + turnReader.deserialize(TURNS, r.value()).getTurnId();
            deadLetters.computeIfAbsent(key, k -> new ArrayList<>()).add(dl);
          } else {
            deadLetters.computeIfAbsent(position(header(r, "quest.source.topic"), header(r, "quest.source.partition"),
                header(r, "quest.source.offset")), k -> new ArrayList<>()).add(new DeadLetter(
                    header(r, "quest.error.cause"), join(header(r, "quest.error.cause"), null,
                        header(r, "quest.error.message"))));
          }
        }
      }
    }

    /** Reads until the condition holds or {@code timeout} has passed. */
    void readUntil(BooleanSupplier done, Duration timeout) {
      long until = System.nanoTime() + timeout.toNanos();
      while (!done.getAsBoolean() && System.nanoTime() < until) {
        read();
      }
    }

    /** Reads until nothing new has come for {@code quiet}. */
    void settle(Duration quiet) {
      long quietUntil = System.nanoTime() + quiet.toNanos();
      while (System.nanoTime() < quietUntil) {
        int before = seen;
        read();
        if (seen != before) {
          quietUntil = System.nanoTime() + quiet.toNanos();
        }
      }
    }

    /**
     * The cause code of one of the app's dead letters: its reason header (validation, scoring, weights), or for
     * Kafka Streams' own dead letters of undecodable records the serde's reason, which opens the message.
     */
    private static DeadLetter appDeadLetter(ConsumerRecord<byte[], byte[]> r) {
      String reason = header(r, DeadLetterHeaders.REASON);
      String exception = header(r, DeadLetterHeaders.EXCEPTION);
      String message = header(r, DeadLetterHeaders.MESSAGE);
      String cause = reason != null ? reason
          : message == null ? exception : message.split(" ", 2)[0];
      return new DeadLetter(cause, join(reason, exception, message));
    }

    boolean complete(List<Sent> sent, List<String> controls, List<String> probes) {
      boolean controlsScored = controls.stream().allMatch(scores::containsKey);
      boolean weightsSettled = probes.stream().anyMatch(p -> scores.containsKey(p)
          && scores.get(p).get(0).getWeightsVersion() == 7);
      boolean allSeen = sent.stream().allMatch(s -> observe(s, probes).outcome() == s.expect());
      return controlsScored && weightsSettled && allSeen;
    }

    Observation observe(Sent s, List<String> probes) {
      List<DeadLetter> dls = new ArrayList<>(deadLetters.getOrDefault(
          position(s.topic(), String.valueOf(s.partition()), String.valueOf(s.offset())), List.of()));
      if (s.turnId() != null) {
        dls.addAll(deadLetters.getOrDefault(TURN + s.turnId(), List.of()));
      }
      List<TurnScore> scored = s.turnId() == null ? List.of() : scores.getOrDefault(s.turnId(), List.of());
      if (!dls.isEmpty() && scored.isEmpty()) {
        Expect kind = s.topic().equals(WEIGHTS) ? Expect.WEIGHTS_REJECTED
            : s.topic().equals(RATINGS) || s.topic().equals(PREFERENCES) ? Expect.TRAINER_DEAD_LETTER
            : Expect.DEAD_LETTER;
        String text = "dead letter: " + dls.get(0).text() + (dls.size() == 1 ? "" : " (and " + (dls.size() - 1)
            + " more)");
        return new Observation(kind, text, dls);
      }
      if (!scored.isEmpty()) {
        TurnScore first = scored.get(0);
        String flags = (first.getCharacterMissing() ? ", character_missing" : "")
            + (first.getTruncated() ? ", truncated " + first.getTruncation() : "");
        return new Observation(scored.size() == 1 && dls.isEmpty() ? Expect.SCORED : Expect.SCORED_TWICE,
            "scored " + (scored.size() == 1 ? "once" : scored.size() + " times") + " (score "
                + String.format("%.3f", first.getScore()) + flags + ")"
                + (dls.isEmpty() ? "" : " and dead-lettered " + dls.size() + " times"), dls);
      }
      if (s.expect() == Expect.WEIGHTS_INSTALLED) {
        return probes.stream().filter(scores::containsKey).map(p -> scores.get(p).get(0))
            .filter(p -> p.getWeightsVersion() == 7).findFirst()
            .map(p -> new Observation(Expect.WEIGHTS_INSTALLED, "installed: later scores carry weights v7", dls))
            .orElse(new Observation(null, "not installed, no rejection seen", dls));
      }
      return new Observation(null, "no output seen (no dead letter, no score)", dls);
    }

    /** Dead letters that belong to no case of the corpus. */
    List<String> unexplained(List<Sent> sent) {
      java.util.Set<String> known = new java.util.HashSet<>();
      for (Sent s : sent) {
        known.add(position(s.topic(), String.valueOf(s.partition()), String.valueOf(s.offset())));
        if (s.turnId() != null) {
          known.add(TURN + s.turnId());
        }
      }
      return deadLetters.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
    }

    private static String position(String topic, String partition, String offset) {
      return topic + "-" + partition + "@" + offset;
    }

    private static String join(String reason, String exception, String message) {
      StringBuilder b = new StringBuilder();
      if (reason != null) {
        b.append(reason).append(": ");
      } else if (exception != null) {
        b.append(exception.substring(exception.lastIndexOf('.') + 1)).append(": ");
      }
      String m = message == null ? "" : message;
      return b.append(m.length() > 160 ? m.substring(0, 160) + "..." : m).toString();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
      Header h = r.headers().lastHeader(name);
      return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
  }
}
