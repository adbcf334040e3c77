package io.queststream.demo.chaos;

import io.queststream.demo.security.WeightsKeys;
import io.queststream.sample.SampleData;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exactly-once under the faults production clusters have, end to end with real processes: brokers (one, or three
 * with a controller quorum, replication factor 3 and min.insync.replicas 2) and a schema registry as their own
 * JVMs, streams-app JVMs (exactly_once_v2) sharing one application id, a producer sending sample turns with bad
 * records mixed in for the whole run. One fault of the menu ({@link Fault}) after another is injected and undone;
 * a marker turn sent at each injection times the recovery. At the end a read_committed consumer counts scores per
 * assistant turn and dead letters per bad record, overall and per fault.
 */
public final class ChaosRun {

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STEADY_BETWEEN_FAULTS = Duration.ofSeconds(5);
  static final String APPLICATION_ID = "quest-stream-chaos";
  private static final String SMALL_STATE_DIR = "64m";

  private final ChaosSettings settings;
  private final PrintStream out;

  public ChaosRun(ChaosSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public ChaosReport run() throws Exception {
    Files.createDirectories(settings.workDir());
    WeightsKeys keys = WeightsKeys.createOrLoad(settings.workDir().resolve("signing"));
    Path heads = PlumbingHeads.writeMiniLmFile(settings.workDir().resolve("plumbing-heads.avro"), keys.signer());
    out.printf("chaos: profile %s, %d broker(s), %d instances, %.1f turns/s, a bad record every %d, seed %d; "
        + "faults %s x %d%n", settings.profile(), settings.brokers(), settings.instances(), settings.rate(),
        settings.badEvery(), settings.seed(), settings.faults().stream().map(Fault::tag).toList(), settings.runs());
    try (LocalCluster cluster = LocalCluster.start(settings.classpath(), settings.workDir().resolve("cluster"),
        settings.registryHome(), settings.brokers(), LocalCluster.portOrFree(0), LocalCluster.portOrFree(0),
        LocalCluster.portOrFree(0), 3);
        InstancePool pool = new InstancePool(settings.classpath(), settings.workDir(), settings.workDir()
            .resolve("cluster").resolve("logs"), appSettings(cluster, heads, keys), out)) {
      out.println("chaos: brokers " + cluster.bootstrapServers() + ", registry " + cluster.registryUrl());
      for (int i = 1; i <= settings.instances(); i++) {
        if (i == 1 && settings.faults().contains(Fault.DISK_FULL)) {
          pool.add(SMALL_STATE_DIR);
        } else {
          pool.add();
        }
      }
      pool.awaitAllReady(READY_TIMEOUT);
      out.println("chaos: " + settings.instances() + " streams-app instances ready");
      return exercise(cluster, pool);
    }
  }

  private List<String> appSettings(LocalCluster cluster, Path heads, WeightsKeys keys) {
    return List.of(
        "bootstrap.servers=" + cluster.bootstrapServers(),
        "schema.registry.url=" + cluster.registryUrl(),
        "application.id=" + APPLICATION_ID,
        "processing.guarantee=exactly_once_v2",
        "weights.initial-file=" + heads,
        "weights.trusted-keys-file=" + keys.publicKeyFile(),
        // A killed or paused member's tasks move after the session timeout; keep it short so the run does not idle.
        "session.timeout.ms=10000",
        "heartbeat.interval.ms=2000",
        "topics.create-missing=false",
        // Several JVMs start at once on a small machine: give the registry time to answer.
        "http.read.timeout.ms=30000",
        // The audit is of scores and dead letters; the analytics' restarts are AnalyticsIT's subject.
        "analytics.enabled=false");
  }

  /** Sends turns for the whole run, injects the faults one after the other, audits the outputs. */
  private ChaosReport exercise(LocalCluster cluster, InstancePool pool) throws Exception {
    Map<String, Object> client = Map.of("bootstrap.servers", cluster.bootstrapServers(),
        "schema.registry.url", cluster.registryUrl());
    ScheduledExecutorService background = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "chaos-watch");
      t.setDaemon(true);
      return t;
    });
    try (TurnFeed feed = new TurnFeed(SampleData.load(), cluster.bootstrapServers(), cluster.registryUrl());
        OutcomeAudit audit = new OutcomeAudit(client, "turn-scores", "scoring-dlq");
        InstanceGauges gauges = new InstanceGauges(Map.of("bootstrap.servers", cluster.bootstrapServers()),
            APPLICATION_ID, "chat-turns")) {
      feed.publishCards();
      AtomicBoolean following = new AtomicBoolean(true);
      background.scheduleWithFixedDelay(() -> {
        gauges.sample(pool.running());
        try {
          pool.checkForUnplannedExits();
        } catch (java.io.IOException e) {
          out.println("chaos: could not restart an instance: " + e.getMessage());
        }
      }, 0, 1, TimeUnit.SECONDS);
      background.execute(() -> {
        while (following.get()) {
          audit.poll();
        }
      });
      long started = System.nanoTime();
      AtomicBoolean done = new AtomicBoolean();
      CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
        try {
          feed.sendUntil(done::get, settings.rate(), settings.badEvery());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } catch (ExecutionException e) {
          throw new IllegalStateException("the feed could not send", e);
        }
      });
      Thread.sleep(STEADY_BETWEEN_FAULTS.toMillis());
      List<FaultEpisode> episodes = injectAll(cluster, pool, feed, audit);
      done.set(true);
      sending.join();
      long lastSent = System.nanoTime();
      out.println("chaos: sent " + feed.sent() + " turns; waiting for every score and dead letter");
      pool.checkForUnplannedExits();
      following.set(false);
      background.shutdown();
      background.awaitTermination(30, TimeUnit.SECONDS);
      boolean complete = audit.awaitAll(feed.assistantTurns(), feed.badPositions(), settings.drainTimeout());
      Duration drain = Duration.ofNanos(System.nanoTime() - lastSent);
      // A duplicate or a stray dead letter would come after the expected outputs: read on until all is quiet.
      audit.settle(Duration.ofSeconds(5), Duration.ofSeconds(60));
      if (!complete) {
        out.println("chaos: not every output arrived within " + settings.drainTimeout().toSeconds() + " s");
      }
      return ChaosReport.of(settings, feed.sent(), feed.assistantTurns(), feed.badPositions(), feed.phaseOfTurn(),
          feed.phaseOfPosition(), episodes, pool.unplannedExits(), audit.scoreCounts(), audit.deadLetterCounts(),
          Duration.ofNanos(System.nanoTime() - started), drain, gauges.peakRssMiB(), gauges.peakLag());
    } finally {
      background.shutdownNow();
    }
  }

  /** Every fault {@code runs} times, each round in a seeded order; a marker turn times each recovery. */
  private List<FaultEpisode> injectAll(LocalCluster cluster, InstancePool pool, TurnFeed feed, OutcomeAudit audit)
      throws Exception {
    Random random = new Random(settings.seed());
    FaultInjector injector = new FaultInjector(settings, cluster, pool, feed, random, out);
    List<FaultEpisode> episodes = new ArrayList<>();
    for (int run = 1; run <= settings.runs(); run++) {
      List<Fault> round = new ArrayList<>(settings.faults());
      Collections.shuffle(round, random);
      for (Fault fault : round) {
        String phase = fault.tag() + "#" + run;
        out.println("chaos: " + phase + ": " + fault.description());
        feed.phase(phase);
        FaultInjector.Injection done = injector.inject(fault);
        Optional<Duration> recovery = awaitScore(audit, done.marker(), done.injectedAtMs());
        feed.phase(ChaosReport.STEADY);
        FaultEpisode episode = new FaultEpisode(fault, phase, done.injectedAtMs(), recovery, done.aimed(),
            done.hit(), done.attempts(), done.note());
        episodes.add(episode);
        out.println("chaos: " + phase + " done: " + done.note() + "; recovery "
            + recovery.map(r -> r.toMillis() + " ms").orElse("NOT SEEN"));
        Thread.sleep(STEADY_BETWEEN_FAULTS.toMillis());
      }
    }
    return episodes;
  }

  /** Waits for the marker's score; the time from the injection to its first sighting is the recovery. */
  private Optional<Duration> awaitScore(OutcomeAudit audit, String marker, long injectedAtMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Long seen = audit.firstSeenMs(marker);
      if (seen != null) {
        return Optional.of(Duration.ofMillis(seen - injectedAtMs));
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }
}
