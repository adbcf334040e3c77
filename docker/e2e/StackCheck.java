import io.queststream.demo.chaos.OutcomeAudit;
import io.queststream.demo.chaos.TurnFeed;
import io.queststream.sample.SampleData;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.serde.CommittedTopicReader;
import io.queststream.serde.RegistryAvroSerde;
import io.queststream.streams.config.ConfigLoader;
import io.queststream.streams.config.ModerationThresholds;
import io.queststream.streams.moderation.ModerationPolicies;
import io.queststream.streams.moderation.ModerationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * End-to-end check of a running compose stack, from the host: sends sample conversations with bad records mixed in
 * to chat-turns, then reads what came out, as a downstream consumer does (read_committed), and checks it exactly:
 * every assistant turn has exactly one score, every bad record exactly one dead letter, the moderation events are
 * exactly the scored turns that break the stack's thresholds (one each), and every score was made with a weights
 * version the trainer published. Run with the demo module's classpath (see .ci/docker-tier):
 *
 * <pre>java -cp CLASSPATH docker/e2e/StackCheck.java BOOTSTRAP REGISTRY_URL STREAMS_ENV_FILE TURNS BAD_EVERY</pre>
 */
public final class StackCheck {

  private static final Duration OUTCOME_TIMEOUT = Duration.ofMinutes(5);
  private static final double TURNS_PER_SECOND = 20;

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String registry = args[1];
    Path streamsEnv = Path.of(args[2]);
    long turns = Long.parseLong(args[3]);
    int badEvery = Integer.parseInt(args[4]);
    Map<String, Object> client = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        "schema.registry.url", registry);

    Set<String> assistantTurns;
    Set<String> badPositions;
    try (TurnFeed feed = new TurnFeed(SampleData.load(), bootstrap, registry)) {
      feed.publishCards();
      feed.send(turns, TURNS_PER_SECOND, badEvery);
      assistantTurns = feed.assistantTurns();
      badPositions = feed.badPositions();
    }
    System.out.printf("sent %d turns (%d assistant turns) and %d bad records%n", turns, assistantTurns.size(),
        badPositions.size());

    List<String> failures = new ArrayList<>();
    try (OutcomeAudit audit = new OutcomeAudit(client, "turn-scores", "scoring-dlq")) {
      boolean complete = audit.awaitAll(assistantTurns, badPositions, OUTCOME_TIMEOUT);
      // A settle window in which a duplicate score or dead letter would still show up.
      Thread.sleep(5_000);
      audit.catchUp(Duration.ofSeconds(30));
      if (!complete) {
        failures.add("not every turn was scored and every bad record dead-lettered within " + OUTCOME_TIMEOUT);
      }
      expectExactlyOnce("turn-scores", "assistant turn", audit.scoreCounts(), assistantTurns, failures);
      expectExactlyOnce("scoring-dlq", "bad record", audit.deadLetterCounts(), badPositions, failures);
    }

    List<TurnScore> scores = readAll(client, "turn-scores", TurnScore.class);
    List<ModerationEvent> events = readAll(client, "moderation-events", ModerationEvent.class);
    List<RewardHeads> weights = readAll(client, "reward-weights", RewardHeads.class);

    ModerationThresholds thresholds =
        ConfigLoader.load(Optional.empty(), envFile(streamsEnv), Map.of()).moderation();
    ModerationPolicy policy = new ModerationPolicy(new ModerationPolicies(thresholds));
    Set<String> belowThresholds = scores.stream().filter(s -> policy.evaluate(s, "", 0f, List.of()).isPresent())
        .map(TurnScore::getTurnId).collect(Collectors.toCollection(TreeSet::new));
    Map<String, Integer> eventCounts = counts(events, ModerationEvent::getTurnId);
    if (belowThresholds.isEmpty()) {
      failures.add("no scored turn broke the stack's moderation thresholds, so moderation was not exercised");
    }
    expectExactlyOnce("moderation-events", "scored turn below the thresholds", eventCounts, belowThresholds, failures);
    System.out.printf("moderation-events: %d events for %d scored turns below the thresholds%n", events.size(),
        belowThresholds.size());

    Set<Long> published = weights.stream().map(RewardHeads::getVersion).collect(Collectors.toCollection(TreeSet::new));
    Map<Long, Integer> scoresByVersion = new TreeMap<>(counts(scores, TurnScore::getWeightsVersion));
    if (published.isEmpty()) {
      failures.add("reward-weights holds no weights version");
    } else if (published.stream().anyMatch(v -> v < 1)) {
      failures.add("reward-weights holds a version below 1: " + published);
    }
    if (!published.containsAll(scoresByVersion.keySet())) {
      failures.add("scores name weights versions " + scoresByVersion.keySet() + " but reward-weights holds " + published);
    }
    System.out.printf("reward-weights: versions %s (%s); scores per weights version %s%n", published,
        weights.stream().map(w -> "v" + w.getVersion() + " " + w.getStatus()).collect(Collectors.joining(", ")),
        scoresByVersion);

    if (failures.isEmpty()) {
      System.out.println("END-TO-END CHECK PASSED");
    } else {
      failures.forEach(f -> System.out.println("FAILED: " + f));
      System.exit(1);
    }
  }

  /** Exactly the expected keys, each counted once. */
  private static <K> void expectExactlyOnce(String topic, String what, Map<K, Integer> counts, Set<K> expected,
      List<String> failures) {
    Set<K> missing = new TreeSet<>(expected);
    missing.removeAll(counts.keySet());
    Set<K> unexpected = new TreeSet<>(counts.keySet());
    unexpected.removeAll(expected);
    Map<K, Integer> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    System.out.printf("%s: %d records for %d expected (%s each), %d missing, %d unexpected, %d repeated%n", topic,
        counts.values().stream().mapToInt(Integer::intValue).sum(), expected.size(), what, missing.size(),
        unexpected.size(), repeated.size());
    if (!missing.isEmpty() || !unexpected.isEmpty() || !repeated.isEmpty()) {
      failures.add(topic + ": missing " + missing + ", unexpected " + unexpected + ", repeated " + repeated);
    }
  }

  private static <T, K> Map<K, Integer> counts(List<T> records, Function<T, K> key) {
    Map<K, Integer> counts = new HashMap<>();
    records.forEach(r -> counts.merge(key.apply(r), 1, Integer::sum));
    return counts;
  }

  /** Every committed record of the topic as it is now. */
  private static <T extends SpecificRecord> List<T> readAll(Map<String, Object> client, String topic, Class<T> type) {
    Map<String, Object> config = new HashMap<>(client);
    config.putAll(WeightsContract.consumerLimits());
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type);
    serde.configure(config, false);
    List<T> out = new ArrayList<>();
    CommittedTopicReader.readToEnd(config, topic, serde.deserializer(), Duration.ofMinutes(1), r -> out.add(r.value()));
    return out;
  }

  /** KEY=VALUE lines of a Compose env file. */
  private static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        int eq = trimmed.indexOf('=');
        values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
      }
    }
    return values;
  }
}
