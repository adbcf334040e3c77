package io.queststream.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.trainer.feedback.KafkaDeadLetters;
import io.queststream.trainer.publish.HistoryEntry;
import io.queststream.trainer.publish.VersionHistory;
import io.queststream.trainer.publish.WeightsPublisher;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Trainer faults with real processes: a broker and a registry as their own JVMs, {@code trainer run} as a child JVM
 * fed synthetic feedback so that it retrains every few seconds, SIGKILLed again and again (as a training run starts,
 * as a version is being committed, at random) and restarted on its data directory, then the broker restarted while
 * it runs. At the end a read_committed reader checks the weights topic (unique, contiguous versions, every parent
 * present, nothing of an aborted transaction), the trainer's own history against it, that the last version was
 * trained on every distinct feedback record exactly once, and that every bad record has exactly one dead letter.
 * Last, a one-shot {@code trainer rollback} (a process, under the same id) fences the running trainer, which must
 * exit with status 4 at its next publish.
 */
class TrainerCrashIT {

  private static final String MODEL = WeightsContract.MODEL_NAME;
  private static final String BACKBONE = "synthetic-16d";
  private static final int DIM = 16;
  private static final int CONTEXTS = 160;
  private static final int KILLS = 9;
  private static final Duration FEED_PACE = Duration.ofMillis(250);
  private static final Duration READY = Duration.ofMinutes(2);
  private static final Duration AIM_TIMEOUT = Duration.ofMinutes(1);

  /** When a kill is aimed. */
  enum KillMoment { COMMITTING_A_VERSION, TRAINING, ANY_MOMENT }

  @Test
  void killsDuringTrainingAndPublishingLeaveOneCleanVersionLineAndCountFeedbackOnce() throws Exception {
    Path work = ProcessClasspath.workDir("trainer-crash");
    String classpath = ProcessClasspath.ofThisModule();
    Random random = new Random(11);
    long started = System.nanoTime();
    try (LocalCluster cluster = LocalCluster.start(classpath, work.resolve("cluster"),
        ProcessClasspath.registryHome(), LocalCluster.portOrFree(0), LocalCluster.portOrFree(0),
        LocalCluster.portOrFree(0), 1)) {
      // given a trainer on a real broker and registry, retraining every 30 joined records or 2 s
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("trainer-dlq", 1, (short) 1))).all().get();
      }
      Path dataDir = work.resolve("trainer").resolve("data");
      int httpPort = LocalCluster.portOrFree(0);
      Path config = writeConfig(work.resolve("trainer.properties"), cluster, dataDir, httpPort);
      TrainerInstance trainer = new TrainerInstance(classpath, work.resolve("trainer"), config,
          cluster.logs().resolve("trainer.log"), httpPort);
      Map<KillMoment, Integer> kills = new EnumMap<>(KillMoment.class);
      try (SyntheticFeedbackFeed feed = new SyntheticFeedbackFeed(cluster.bootstrapServers(), cluster.registryUrl(),
          BACKBONE, DIM, 5)) {
        trainer.start();
        trainer.awaitReady(READY);

        // when feedback flows while the trainer is SIGKILLed at aimed and random moments and restarted each time
        AtomicBoolean killing = new AtomicBoolean(true);
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed(feed, killing));
        int missed = 0;
        for (int k = 0; k < KILLS; k++) {
          // Every incarnation, the first and each one after a kill, publishes a version before it is killed: the
          // version line then has at least one version per kill, whatever the timing of the kills.
          int incarnation = k + 1;
          assertThat(trainer.awaitLogLine(l -> l.contains("published " + MODEL + " v"), AIM_TIMEOUT))
              .as(() -> "a version published by incarnation " + incarnation + " of the trainer"
                  + whatWasGoingOn(trainer, feeding)).isPresent();
          KillMoment aimed = KillMoment.values()[k % KillMoment.values().length];
          boolean hit = killAt(trainer, aimed, random);
          if (hit) {
            kills.merge(aimed, 1, Integer::sum);
          } else {
            missed++;
          }
          System.out.printf("trainer-crash: kill -9 %d of %d, %s%s%n", k + 1, KILLS, aimed, hit ? "" : " MISSED");
          Thread.sleep(random.nextInt(1000));
          trainer.skipLog();
          trainer.start();
          trainer.awaitReady(READY);
        }
        // and then the broker restarts while feedback flows (with other-backbone embeddings among it)
        assertThat(trainer.awaitLogLine(l -> l.contains("published " + MODEL + " v"), AIM_TIMEOUT))
            .as(() -> "a version published by the last incarnation before the broker restart"
                + whatWasGoingOn(trainer, feeding)).isPresent();
        Duration brokerRestart = cluster.restartBroker();
        System.out.printf("trainer-crash: broker restarted in %d ms%n", brokerRestart.toMillis());
        trainer.skipLog();
        assertThat(trainer.awaitLogLine(l -> l.contains("published " + MODEL + " v"), AIM_TIMEOUT))
            .as(() -> "a version published after the broker restart" + whatWasGoingOn(trainer, feeding))
            .isPresent();
        assertThat(trainer.isAlive()).as("the trainer runs on through the broker restart").isTrue();
        killing.set(false);
        feeding.join();

        // then the last incarnation trains on everything that was sent, once
        RewardHeads last = awaitVersionTrainedOnAll(cluster, feed, Duration.ofSeconds(90));
        String metrics = trainer.scrapeMetrics();
        trainer.close();

        List<RewardHeads> committed = reader(cluster).readAll(MODEL, Duration.ofSeconds(30));
        List<Long> versions = committed.stream().map(RewardHeads::getVersion).toList();
        long duplicates = versions.size() - new HashSet<>(versions).size();
        Set<Long> known = new HashSet<>(versions);
        long orphans = committed.stream()
            .filter(v -> v.getParentVersion() == null ? v.getVersion() != 1 : !known.contains(v.getParentVersion()))
            .count();
        int uncommitted = countUncommitted(cluster);
        List<HistoryEntry> history = new VersionHistory(dataDir.resolve("history")).entries().stream()
            .filter(e -> e.version() > 0).toList();
        long recordedAfterRestart = history.stream()
            .filter(e -> e.reasons().contains("recorded from the weights topic")).count();
        List<Long> foreignDeadLetters = backboneDeadLetterOffsets(cluster);
        long replayed = lastReplayCount(trainer.log());

        Map<String, String> table = new LinkedHashMap<>();
        table.put("kill -9 of the trainer", Integer.toString(KILLS));
        table.put("  aimed at a version being committed", kills.getOrDefault(KillMoment.COMMITTING_A_VERSION, 0)
            .toString());
        table.put("  aimed at a training run", kills.getOrDefault(KillMoment.TRAINING, 0).toString());
        table.put("  at a random moment", kills.getOrDefault(KillMoment.ANY_MOMENT, 0).toString());
        table.put("  aimed kills that missed their moment", Integer.toString(missed));
        table.put("broker restarts while feedback flows (the trainer running on)", "1 ("
            + brokerRestart.toSeconds() + " s down and up)");
        table.put("feedback contexts sent", Integer.toString(feed.contexts()));
        table.put("distinct feedback records sent (embeddings, ratings, pairs)", Integer.toString(feed.records()));
        table.put("feedback records sent twice", Integer.toString(feed.duplicates()));
        table.put("versions committed (read_committed)", Integer.toString(versions.size()));
        table.put("duplicate version numbers", Long.toString(duplicates));
        table.put("versions whose parent is missing", Long.toString(orphans));
        table.put("weights records of aborted transactions in the log (read_uncommitted only)",
            Integer.toString(uncommitted - versions.size()));
        table.put("versions committed but recorded in the history only after a restart",
            Long.toString(recordedAfterRestart));
        table.put("history entries (published versions)", Integer.toString(history.size()));
        table.put("last version", "v" + last.getVersion());
        table.put("last version trained on turns / ratings / pairs", last.getTrainingSummary().get("turns") + " / "
            + last.getTrainingSummary().get("ratings") + " / " + last.getTrainingSummary().get("preference_pairs"));
        table.put("expected turns / ratings / pairs", 2 * feed.contexts() + " / " + 2 * feed.contexts() + " / "
            + feed.contexts());
        table.put("joined records replayed from data.dir at the last start", Long.toString(replayed));
        table.put("other-backbone embeddings sent / dead letters of them (each must have one)",
            feed.foreignOffsets().size() + " / " + foreignDeadLetters.size());
        table.put("elapsed (s)", Long.toString(Duration.ofNanos(System.nanoTime() - started).toSeconds()));
        String report = "| measure | count |\n|---|---|\n" + table.entrySet().stream()
            .map(e -> "| " + e.getKey() + " | " + e.getValue() + " |").collect(Collectors.joining("\n"));
        System.out.println(report);
        ProcessClasspath.writeReport("trainer-crash.md", report);

        assertThat(missed).as("aimed kills that missed their moment (none is turned into a random kill)").isZero();
        assertThat(versions).as("versions, unique and contiguous")
            .isEqualTo(LongStream.rangeClosed(1, versions.size()).boxed().toList());
        assertThat(versions.size()).as("a version per incarnation, and the last one's").isGreaterThan(KILLS);
        assertThat(orphans).as("versions whose parent is missing").isZero();
        assertThat(history).extracting(HistoryEntry::version).as("history against the topic").isEqualTo(versions);
        assertThat(history).extracting(HistoryEntry::parentVersion).as("history parents")
            .isEqualTo(committed.stream().map(RewardHeads::getParentVersion).toList());
        assertThat(last.getTrainingSummary()).containsEntry("turns", Integer.toString(2 * feed.contexts()))
            .containsEntry("ratings", Integer.toString(2 * feed.contexts()))
            .containsEntry("preference_pairs", Integer.toString(feed.contexts()));
        assertThat(replayed).as("joined feedback replayed from data.dir at the last start").isPositive();
        assertThat(foreignDeadLetters).as("other-backbone embeddings dead-lettered, each exactly once across the kills")
            .containsExactlyInAnyOrderElementsOf(feed.foreignOffsets());
        // The trainer may commit one more version between the wait above and the scrape: the gauge must name a
        // committed version, no older than the one trained on everything.
        assertThat(weightsVersionGauge(metrics)).as("quest_trainer_weights_version")
            .isGreaterThanOrEqualTo(last.getVersion()).isIn(versions);

        // and a one-shot command publishing under the same id fences a running trainer: it exits with status 4
        trainer.start();
        trainer.awaitReady(READY);
        ManagedProcess rollback = ManagedProcess.startJava("trainer-rollback", classpath, List.of("-Xmx256m"),
            TrainerInstance.TRAINER_MAIN, List.of("-c", config.toString(), "rollback", "1"), work,
            cluster.logs().resolve("trainer-rollback.log"), Map.of());
        assertThat(rollback.waitFor(2, TimeUnit.MINUTES)).as("rollback exit status").isZero();
        for (int c = feed.contexts(); trainer.isAlive() && c < feed.contexts() + 200; c++) {
          feed.sendContext(c);
          Thread.sleep(FEED_PACE.toMillis());
        }
        assertThat(trainer.awaitExit(READY)).as("exit status of the fenced trainer").isEqualTo(4);
        assertThat(Files.readString(trainer.log())).contains("fenced");
      } finally {
        trainer.close();
      }
    }
  }

  /** For a failure message: whether the feed still sends, and the trainer's last log lines. */
  private static String whatWasGoingOn(TrainerInstance trainer, CompletableFuture<Void> feeding) {
    String feed = !feeding.isDone() ? "sending"
        : feeding.isCompletedExceptionally() ? "stopped by " + feeding.handle((v, e) -> e).join() : "done";
    return "; the feed: " + feed + "; the trainer " + (trainer.isAlive() ? "runs" : "has exited")
        + "; its last log lines:\n" + trainer.recentLog();
  }

  /** At least {@value #CONTEXTS} contexts, and on for as long as kills are still to come, so none lacks a moment. */
  private static void feed(SyntheticFeedbackFeed feed, AtomicBoolean killing) {
    try {
      for (int c = 0; c < CONTEXTS || killing.get(); c++) {
        feed.sendContext(c);
        if (c % 8 == 7) {
          feed.resendFeedbackOf(c - 4);
        }
        // Bad records all along, so that kills land among them: each must be dead-lettered exactly once.
        if (c % 4 == 2) {
          feed.sendForeignEmbedding(c);
        }
        Thread.sleep(FEED_PACE.toMillis());
      }
    } catch (Exception e) {
      throw new IllegalStateException("the feed could not send", e);
    }
  }

  /**
   * Waits for the aimed moment in the trainer's log (a version being committed: the record is written, its
   * transaction not yet committed; or a training run starting, then up to 300 ms into it) and SIGKILLs. The feed
   * goes on until the kills are done, so the moment comes; if it does not within a minute the kill is reported as
   * missed, never turned into a kill at another moment.
   *
   * @return whether the kill hit its moment
   */
  private static boolean killAt(TrainerInstance trainer, KillMoment aimed, Random random) throws Exception {
    boolean hit = true;
    if (aimed == KillMoment.COMMITTING_A_VERSION) {
      hit = trainer.awaitLogLine(l -> l.contains("committing " + MODEL + " v"), AIM_TIMEOUT).isPresent();
    } else if (aimed == KillMoment.TRAINING) {
      hit = trainer.awaitLogLine(l -> l.contains("training on {"), AIM_TIMEOUT).isPresent();
      Thread.sleep(random.nextInt(300));
    } else {
      Thread.sleep(random.nextInt(2500));
    }
    trainer.kill();
    return hit;
  }

  private static Path writeConfig(Path file, LocalCluster cluster, Path dataDir, int httpPort) throws Exception {
    Properties p = new Properties();
    p.setProperty("kafka.bootstrap.servers", cluster.bootstrapServers());
    p.setProperty("serde.schema.registry.url", cluster.registryUrl());
    p.setProperty("data.dir", dataDir.toString());
    p.setProperty("http.port", Integer.toString(httpPort));
    p.setProperty("backbone.id", BACKBONE);
    p.setProperty("backbone.dim", Integer.toString(DIM));
    p.setProperty("attributes", String.join(",", SyntheticFeedbackFeed.ATTRIBUTES));
    p.setProperty("retrain.every.records", "30");
    p.setProperty("retrain.every", "PT2S");
    p.setProperty("gating.hidden", "32");
    p.setProperty("gating.steps", "200");
    p.setProperty("gating.batch", "32");
    p.setProperty("signing.key.file", WeightsKeys.createOrLoad(file.getParent().resolve("signing")).privateKeyFile()
        .toString());
    // Every candidate is promoted, so that every training run ends in a publish the kills can hit.
    p.setProperty("promotion.accuracy.tolerance", "1");
    p.setProperty("promotion.mse.tolerance", "1");
    p.setProperty("promotion.publish.unevaluated", "true");
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, "trainer crash test");
    }
    return file;
  }

  private static WeightsPublisher reader(LocalCluster cluster) {
    return new WeightsPublisher("reward-weights", "trainer-crash-audit",
        Map.of("bootstrap.servers", cluster.bootstrapServers()),
        Map.of("schema.registry.url", cluster.registryUrl()));
  }

  private static RewardHeads awaitVersionTrainedOnAll(LocalCluster cluster, SyntheticFeedbackFeed feed,
      Duration timeout) throws InterruptedException {
    String turns = Integer.toString(2 * feed.contexts());
    String pairs = Integer.toString(feed.contexts());
    long deadline = System.nanoTime() + timeout.toNanos();
    RewardHeads latest = null;
    while (System.nanoTime() < deadline) {
      try (WeightsPublisher reader = reader(cluster)) {
        latest = reader.latest(MODEL, Duration.ofSeconds(10)).orElse(null);
      }
      if (latest != null && turns.equals(latest.getTrainingSummary().get("turns"))
          && turns.equals(latest.getTrainingSummary().get("ratings"))
          && pairs.equals(latest.getTrainingSummary().get("preference_pairs"))) {
        return latest;
      }
      Thread.sleep(1000);
    }
    if (latest == null) {
      throw new AssertionError("no version was published");
    }
    return latest;
  }

  /** Weights records in the log whatever their transaction's outcome (read_uncommitted). */
  private static int countUncommitted(LocalCluster cluster) {
    TopicPartition tp = new TopicPartition("reward-weights", 0);
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, WeightsContract.MAX_RECORD_BYTES),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
    }
    return count;
  }

  /** Source offsets of the committed dead letters with cause BACKBONE_MISMATCH, one entry per dead letter. */
  private static List<Long> backboneDeadLetterOffsets(LocalCluster cluster) {
    TopicPartition tp = new TopicPartition("trainer-dlq", 0);
    List<Long> offsets = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if ("BACKBONE_MISMATCH".equals(header(r, KafkaDeadLetters.CAUSE))) {
            offsets.add(Long.parseLong(header(r, "quest.source.offset")));
          }
        }
      }
    }
    return offsets;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The joined-record count the last incarnation logged after replaying its data directory. */
  private static long lastReplayCount(Path log) throws Exception {
    Pattern replay = Pattern.compile("replayed (\\d+) joined feedback records");
    long last = -1;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher m = replay.matcher(line);
      if (m.find()) {
        last = Long.parseLong(m.group(1));
      }
    }
    return last;
  }

  /** The value of the trainer's quest_trainer_weights_version gauge in a Prometheus scrape. */
  private static long weightsVersionGauge(String metrics) {
    return metrics.lines().filter(l -> l.startsWith("quest_trainer_weights_version "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst()
        .orElseThrow(() -> new AssertionError("no quest_trainer_weights_version in the trainer's /metrics"));
  }
}
