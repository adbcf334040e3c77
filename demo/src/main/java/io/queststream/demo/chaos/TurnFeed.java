package io.queststream.demo.chaos;

import io.queststream.sample.SampleDataset;
import io.queststream.schemas.CharacterCard;
import io.queststream.schemas.ChatTurn;
import io.queststream.serde.RegistryAvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A bounded stream of sample turns in conversation order (replayed with fresh ids when the dataset runs out), with a
 * bad record after every {@code badEvery} good ones. It remembers what it sent: the assistant turns that must each be
 * scored once, and the position of each bad record that must be dead-lettered once. The producer is idempotent with
 * a long delivery timeout, so a broker restart delays the feed but loses and duplicates nothing.
 */
public final class TurnFeed implements AutoCloseable {

  private static final String CHAT_TURNS = "chat-turns";

  /** The bad inputs mixed into the chaos stream; each must end as exactly one dead letter. */
  enum BadKind { NOT_AVRO, EMPTY_TEXT, UNKNOWN_ROLE }

  private final SampleDataset data;
  private final KafkaProducer<String, ChatTurn> turns;
  private final KafkaProducer<String, byte[]> raw;
  private final KafkaProducer<String, CharacterCard> cards;
  private final Set<String> assistantTurns = ConcurrentHashMap.newKeySet();
  private final Set<String> badPositions = ConcurrentHashMap.newKeySet();
  /** The phase (fault episode or steady state) each assistant turn and each record's position was sent in. */
  private final Map<String, String> phaseOfTurn = new ConcurrentHashMap<>();
  private final Map<String, String> phaseOfPosition = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong markers = new AtomicLong();
  private volatile String phase = "steady";
  /** Where the next good turn comes from: the pass over the sample data and the position in it. */
  private int pass;
  private Iterator<ChatTurn> cursor;
  private long bad;

  public TurnFeed(SampleDataset data, String bootstrap, String registryUrl) {
    this.data = data;
    Map<String, Object> producer = new HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000));
    Map<String, Object> serde = Map.of("schema.registry.url", registryUrl);
    RegistryAvroSerde<ChatTurn> turnSerde = new RegistryAvroSerde<>(ChatTurn.class);
    turnSerde.configure(serde, false);
    RegistryAvroSerde<CharacterCard> cardSerde = new RegistryAvroSerde<>(CharacterCard.class);
    cardSerde.configure(serde, false);
    this.turns = new KafkaProducer<>(producer, new StringSerializer(), turnSerde.serializer());
    this.raw = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer());
    this.cards = new KafkaProducer<>(producer, new StringSerializer(), cardSerde.serializer());
  }

  public void publishCards() throws ExecutionException, InterruptedException {
    for (CharacterCard card : data.cards()) {
      cards.send(new ProducerRecord<>("character-cards", card.getCharacterId(), card)).get();
    }
  }

  /** Sends {@code total} good turns at {@code rate} per second; blocks until every record is acknowledged. */
  public void send(long total, double rate, int badEvery) throws InterruptedException, ExecutionException {
    sendUntil(() -> sent.get() >= total, rate, badEvery);
  }

  /**
   * Sends good turns at {@code rate} per second until {@code done} says so; blocks until every record is
   * acknowledged. Successive calls go on where the last one stopped, so no turn id is ever sent twice.
   */
  public void sendUntil(BooleanSupplier done, double rate, int badEvery)
      throws InterruptedException, ExecutionException {
    long interval = (long) (1e9 / rate);
    long next = System.nanoTime();
    while (!done.getAsBoolean()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      next += interval;
      ChatTurn t = nextTurn();
      sendGood(t);
      long n = sent.incrementAndGet();
      if (badEvery > 0 && n % badEvery == 0) {
        sendBad(BadKind.values()[(int) (bad % BadKind.values().length)], bad, t);
        bad++;
      }
    }
    turns.flush();
    raw.flush();
  }

  /** The sample turns in conversation order, replayed with fresh ids (a new pass) each time they run out. */
  private ChatTurn nextTurn() {
    if (cursor == null || !cursor.hasNext()) {
      pass++;
      cursor = data.turnsByConversation().values().stream().flatMap(List::stream).iterator();
    }
    return renamed(cursor.next(), pass);
  }

  private void sendGood(ChatTurn t) {
    String now = phase;
    if ("assistant".equals(t.getRole())) {
      assistantTurns.add(t.getTurnId());
      phaseOfTurn.put(t.getTurnId(), now);
    }
    turns.send(new ProducerRecord<>(CHAT_TURNS, t.getConversationId(), t), (meta, e) -> {
      if (meta != null) {
        phaseOfPosition.put(position(meta.partition(), meta.offset()), now);
      }
    });
  }

  /** Turns sent from now on count for this phase. */
  public void phase(String label) {
    phase = label;
  }

  /**
   * Sends a user turn and an assistant reply in a conversation of their own and returns the reply's id: the moment
   * its score shows up measures how long the pipeline took to recover from a fault.
   */
  public String sendMarker() {
    long n = markers.incrementAndGet();
    String conversation = "marker-" + n;
    ChatTurn user = ChatTurn.newBuilder().setTurnId(conversation + "-u").setConversationId(conversation)
        .setRole("user").setText("Is anyone there?").setCharacterId(null).setCreatedAt(Instant.now()).build();
    ChatTurn reply = ChatTurn.newBuilder(user).setTurnId(conversation + "-a").setRole("assistant")
        .setText("I am here, traveller, as I promised.").setParentTurnId(user.getTurnId()).build();
    sendGood(user);
    sendGood(reply);
    return reply.getTurnId();
  }

  private void sendBad(BadKind kind, long n, ChatTurn around) throws InterruptedException, ExecutionException {
    String now = phase;
    String key = around.getConversationId();
    RecordMetadata meta = switch (kind) {
      case NOT_AVRO -> raw.send(new ProducerRecord<>(CHAT_TURNS, key,
          ("{\"not\": \"an Avro frame\", \"n\": " + n + "}").getBytes(StandardCharsets.UTF_8))).get();
      case EMPTY_TEXT -> turns.send(new ProducerRecord<>(CHAT_TURNS, key, bad(around, n, "   ", "assistant"))).get();
      case UNKNOWN_ROLE -> turns.send(new ProducerRecord<>(CHAT_TURNS, key,
          bad(around, n, "The narrator speaks.", "narrator"))).get();
    };
    badPositions.add(position(meta.partition(), meta.offset()));
    phaseOfPosition.put(position(meta.partition(), meta.offset()), now);
  }

  private static ChatTurn bad(ChatTurn around, long n, String text, String role) {
    return ChatTurn.newBuilder(around).setTurnId("bad-" + n + "-" + around.getTurnId()).setText(text).setRole(role)
        .setParentTurnId(null).build();
  }

  static String position(int partition, long offset) {
    return partition + "@" + offset;
  }

  private static ChatTurn renamed(ChatTurn t, int pass) {
    String suffix = "~chaos" + pass;
    return ChatTurn.newBuilder(t)
        .setConversationId(t.getConversationId() + suffix)
        .setTurnId(t.getTurnId() + suffix)
        .setParentTurnId(t.getParentTurnId() == null ? null : t.getParentTurnId() + suffix)
        .setCreatedAt(Instant.now())
        .build();
  }

  public long sent() {
    return sent.get();
  }

  public Set<String> assistantTurns() {
    return Set.copyOf(assistantTurns);
  }

  /** Positions ({@code partition@offset} on chat-turns) of the bad records. */
  public Set<String> badPositions() {
    return Set.copyOf(badPositions);
  }

  /** The phase each assistant turn was sent in. */
  public Map<String, String> phaseOfTurn() {
    return Map.copyOf(phaseOfTurn);
  }

  /** The phase each good record (every role) was sent in, by position. */
  public Map<String, String> phaseOfPosition() {
    return Map.copyOf(phaseOfPosition);
  }

  @Override
  public void close() {
    turns.close();
    raw.close();
    cards.close();
  }
}
