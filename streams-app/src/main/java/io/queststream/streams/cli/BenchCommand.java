package io.queststream.streams.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.streams.app.ModelSettings;
import io.queststream.streams.bench.BenchRequests;
import io.queststream.streams.bench.Percentiles;
import io.queststream.streams.bench.RawModelBench;
import io.queststream.streams.bench.StreamingBench;
import io.queststream.streams.bench.UntrainedHeads;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.weights.InitialWeights;
import io.queststream.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** End-to-end streaming throughput and latency next to the raw model throughput, on the same turns, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Benchmarks the scoring pipeline on the committed sample data set. First the scorer alone scores the "
            + "assistant turns (same requests, batches of batch.max-size, one caller per stream thread); then the "
            + "turns go through a real broker into the running topology with exactly-once on, and a read_committed "
            + "consumer times each score from produce to visibility.",
        "Without --bootstrap-servers an in-JVM KRaft broker is started; without --schema-registry-url the in-JVM "
            + "registry mock://bench is used. Topics get a fresh prefix, so a shared cluster is left untouched.",
        "Weights: --weights FILE, or seeded untrained heads for the backbone (scores are meaningless; throughput "
            + "and latency are not)."})
final class BenchCommand implements Callable<Integer> {

  @Mixin
  ConfigOptions options;

  @Option(names = "--threads", defaultValue = "2", description = "Stream threads (and raw-model callers). "
      + "Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the bench topics. "
      + "Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(names = "--rate", defaultValue = "0", paramLabel = "TURNS_PER_S",
      description = "Producer pace over all turns (user and assistant); 0 sends everything at once, which "
          + "measures throughput (latency then includes the backlog). Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--conversations", defaultValue = "40",
      description = "Use the first N conversations of the data set (0: all). Default: ${DEFAULT-VALUE}.")
  int conversations;

  @Option(names = "--repeat", defaultValue = "1",
      description = "Send the data set this many times (as distinct conversations). Default: ${DEFAULT-VALUE}.")
  int repeat;

  @Option(names = "--weights", paramLabel = "FILE", description = "Avro data file of RewardHeads to score with.")
  Path weightsFile;

  @Option(names = "--timeout-s", defaultValue = "600", description = "Give up after this long. "
      + "Default: ${DEFAULT-VALUE}.")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    Map<String, String> given = options.values();
    AppConfig base = AppConfig.from(given);
    KafkaBroker broker = base.kafka().containsKey("bootstrap.servers") ? null : KafkaBroker.start();
    try (RewardScorer scorer = RewardScorers.create(
        ModelSettings.toModelConfig(base.model(), new SimpleMeterRegistry()))) {
      AppConfig config = benchConfig(given, broker);
      RewardHeads heads = weightsFile != null ? InitialWeights.read(weightsFile)
          : UntrainedHeads.of(scorer.backbone().id(), scorer.backbone().embeddingDim(), 1, 42);
      scorer.installWeights(heads);

      SampleDataset data = SampleData.load();
      List<ChatTurn> turns = repeated(firstConversations(data, conversations), repeat);
      List<ScoringRequest> requests = BenchRequests.of(turns, data.cards(), config.history(), scorer);
      int batch = config.batching().maxSize();
      scorer.score(requests.subList(0, Math.min(batch, requests.size())));

      RawModelBench.Result raw = RawModelBench.run(scorer, requests, batch, threads);
      StreamingBench.Result streaming = StreamingBench.run(config, scorer, data.cards(), turns, rate,
          Duration.ofSeconds(timeoutSeconds));
      report(config, scorer, turns.size(), raw, streaming);
      return streaming.scores() == requests.size() ? 0 : 1;
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private AppConfig benchConfig(Map<String, String> given, KafkaBroker broker) throws Exception {
    String prefix = "bench-" + Long.toString(System.currentTimeMillis(), 36);
    Map<String, String> values = new HashMap<>(given);
    for (String t : List.of("chat-turns", "character-cards", "turn-scores", "moderation-events", "turn-embeddings",
        "reward-weights")) {
      values.put("topics." + t, prefix + "-" + t);
    }
    values.put("topics.dead-letters", prefix + "-dlq");
    values.put("topics.partitions", Integer.toString(partitions));
    values.put("application.id", prefix);
    values.put("num.stream.threads", Integer.toString(threads));
    values.putIfAbsent("state.dir", Files.createTempDirectory("quest-bench").toString());
    values.putIfAbsent("schema.registry.url", "mock://bench");
    if (broker != null) {
      values.put("bootstrap.servers", broker.bootstrapServers());
    }
    return AppConfig.from(values);
  }

  private static List<ChatTurn> firstConversations(SampleDataset data, int n) {
    if (n <= 0) {
      return data.turns();
    }
    Set<String> kept = data.turnsByConversation().keySet().stream().limit(n).collect(Collectors.toSet());
    return data.turns().stream().filter(t -> kept.contains(t.getConversationId())).toList();
  }

  private static List<ChatTurn> repeated(List<ChatTurn> turns, int times) {
    if (times == 1) {
      return turns;
    }
    List<ChatTurn> out = new ArrayList<>();
    for (int r = 0; r < times; r++) {
      String suffix = "#" + r;
      for (ChatTurn t : turns) {
        out.add(ChatTurn.newBuilder(t)
            .setTurnId(t.getTurnId() + suffix)
            .setConversationId(t.getConversationId() + suffix)
            .setParentTurnId(t.getParentTurnId() == null ? null : t.getParentTurnId() + suffix)
            .build());
      }
    }
    return out;
  }

  private void report(AppConfig config, RewardScorer scorer, int turns, RawModelBench.Result raw,
      StreamingBench.Result s) {
    Percentiles p = new Percentiles(s.latenciesMs());
    System.out.printf("backbone          %s on %s%n", scorer.backbone().id(), scorer.backbone().device());
    System.out.printf("turns             %d sent, %d assistant turns scored%n", turns, s.scores());
    System.out.printf("setup             %d stream threads, %d partitions, exactly_once_v2, batch %d / %d tokens / "
            + "%d ms, producer rate %s%n", threads, partitions, config.batching().maxSize(),
        config.batching().tokenBudget(), config.batching().maxWait().toMillis(),
        rate > 0 ? rate + " turns/s" : "unpaced");
    System.out.printf("raw model         %.1f turns/s (%d turns in %.2f s)%n", raw.turnsPerSecond(), raw.turns(),
        raw.seconds());
    System.out.printf("streaming         %.1f turns/s (%d scores in %.2f s, first produce to last visible score)%n",
        s.turnsPerSecond(), s.scores(), s.seconds());
    System.out.printf("ratio             %.2f (streaming / raw)%n", s.turnsPerSecond() / raw.turnsPerSecond());
    System.out.printf("latency (ms)      p50 %d, p95 %d, p99 %d (produce to read_committed visibility)%n",
        p.at(50), p.at(95), p.at(99));
    System.out.printf("mean model batch  %.1f turns%n", s.meanBatchSize());
  }
}
