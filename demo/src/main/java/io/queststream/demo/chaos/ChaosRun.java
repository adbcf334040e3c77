package io.queststream.demo.chaos;

import io.queststream.demo.security.WeightsKeys;
import io.queststream.sample.SampleData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Exactly-once under process faults, end to end with real processes: a broker and a schema registry as their own
 * JVMs, two streams-app JVMs (exactly_once_v2) sharing one application id, a producer sending a bounded stream of
 * sample turns with bad records mixed in. While turns flow, seeded random moments SIGKILL one instance (it is
 * restarted after a short seeded downtime) and, optionally, the broker is stopped and started again on its data
 * directory. At the end a read_committed consumer counts scores per assistant turn and dead letters per bad record.
 */
public final class ChaosRun {

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final String APPLICATION_ID = "quest-stream-chaos";

  private final ChaosSettings settings;
  private final PrintStream out;
  private final List<ScoringInstance> instances = new CopyOnWriteArrayList<>();
  private int kills;
  private int brokerRestarts;
  private int unplannedExits;

  public ChaosRun(ChaosSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public ChaosReport run() throws Exception {
    Files.createDirectories(settings.workDir());
    WeightsKeys keys = WeightsKeys.createOrLoad(settings.workDir().resolve("signing"));
    Path heads = PlumbingHeads.writeMiniLmFile(settings.workDir().resolve("plumbing-heads.avro"), keys.signer());
    out.printf("chaos: seed %d, %d turns at %.1f/s, a bad record every %d, %d kills, broker restart %s%n",
        settings.seed(), settings.totalTurns(), settings.rate(), settings.badEvery(), settings.kills(),
        settings.brokerRestart() ? "yes" : "no");
    try (LocalCluster cluster = LocalCluster.start(settings.classpath(), settings.workDir().resolve("cluster"),
        settings.registryHome(), settings.kafkaPort(), settings.controllerPort(), settings.registryPort(), 3)) {
      out.println("chaos: broker " + cluster.bootstrapServers() + ", registry " + cluster.registryUrl());
      try {
        startInstances(cluster, heads, keys);
        return exercise(cluster);
      } finally {
        instances.forEach(ScoringInstance::close);
      }
    }
  }

  /** Sends the turns, injects the faults, audits the outputs. */
  private ChaosReport exercise(LocalCluster cluster) throws Exception {
    try (TurnFeed feed = new TurnFeed(SampleData.load(), cluster.bootstrapServers(), cluster.registryUrl());
        OutcomeAudit audit = new OutcomeAudit(Map.of("bootstrap.servers", cluster.bootstrapServers(),
            "schema.registry.url", cluster.registryUrl()), "turn-scores", "scoring-dlq");
        InstanceGauges gauges = new InstanceGauges(Map.of("bootstrap.servers", cluster.bootstrapServers()),
            APPLICATION_ID, "chat-turns")) {
      feed.publishCards();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-gauges");
        t.setDaemon(true);
        return t;
      });
      sampler.scheduleAtFixedRate(() -> gauges.sample(List.copyOf(instances)), 0, 1, TimeUnit.SECONDS);
      long started = System.nanoTime();
      CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
        try {
          feed.send(settings.totalTurns(), settings.rate(), settings.badEvery());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } catch (ExecutionException e) {
          throw new IllegalStateException("the feed could not send", e);
        }
      });
      injectFaults(cluster, sending);
      sending.join();
      long lastSent = System.nanoTime();
      out.println("chaos: sent " + feed.sent() + " turns; waiting for every score and dead letter");
      ensureAllRunning();
      boolean complete = audit.awaitAll(feed.assistantTurns(), feed.badPositions(), settings.drainTimeout());
      Duration drain = Duration.ofNanos(System.nanoTime() - lastSent);
      // Late duplicates would come after the expected outputs; give them a moment to show up.
      Thread.sleep(3_000);
      audit.catchUp(Duration.ofSeconds(30));
      sampler.shutdownNow();
      if (!complete) {
        out.println("chaos: not every output arrived within " + settings.drainTimeout().toSeconds() + " s");
      }
      return ChaosReport.of(feed.sent(), feed.assistantTurns(), feed.badPositions(), kills, brokerRestarts,
          unplannedExits, audit.scoreCounts(), audit.deadLetterCounts(),
          Duration.ofNanos(System.nanoTime() - started), drain, gauges.peakRssMiB(), gauges.peakLag());
    }
  }

  private void startInstances(LocalCluster cluster, Path heads, WeightsKeys keys)
      throws IOException, InterruptedException {
    List<String> config = List.of(
        "bootstrap.servers=" + cluster.bootstrapServers(),
        "schema.registry.url=" + cluster.registryUrl(),
        "application.id=" + APPLICATION_ID,
        "processing.guarantee=exactly_once_v2",
        "weights.initial-file=" + heads,
        "weights.trusted-keys-file=" + keys.publicKeyFile(),
        // A killed member's tasks move after the session timeout; keep it short so the run does not idle.
        "session.timeout.ms=10000",
        "heartbeat.interval.ms=2000",
        "topics.create-missing=false",
        // Several JVMs start at once on a small machine: give the registry time to answer.
        "http.read.timeout.ms=30000");
    for (int i = 1; i <= 2; i++) {
      String name = "streams-app-" + i;
      ScoringInstance instance = new ScoringInstance(name, settings.classpath(),
          settings.workDir().resolve(name), cluster.logs().resolve(name + ".log"), config);
      instances.add(instance);
      instance.start();
    }
    for (ScoringInstance instance : instances) {
      awaitReady(instance);
    }
    out.println("chaos: 2 streams-app instances ready");
  }

  /**
   * Spreads the kills (and the broker restart, half-way) over the middle 80% of the sending time, at seeded
   * moments. Turns are in flight at each of them: micro-batches buffered, transactions open.
   */
  private void injectFaults(LocalCluster cluster, CompletableFuture<Void> sending) throws Exception {
    Random random = new Random(settings.seed());
    long window = settings.duration().toMillis();
    List<Long> moments = new ArrayList<>();
    for (int i = 0; i < settings.kills(); i++) {
      moments.add((long) (window * (0.1 + 0.8 * random.nextDouble())));
    }
    moments.sort(Long::compare);
    long brokerMoment = settings.brokerRestart() ? window / 2 : Long.MAX_VALUE;
    long start = System.currentTimeMillis();
    for (long moment : moments) {
      if (brokerMoment <= moment) {
        restartBroker(cluster, start, brokerMoment);
        brokerMoment = Long.MAX_VALUE;
      }
      sleepUntil(start + moment, sending);
      killOne(random);
    }
    if (brokerMoment != Long.MAX_VALUE) {
      restartBroker(cluster, start, brokerMoment);
    }
  }

  private void restartBroker(LocalCluster cluster, long start, long moment) throws Exception {
    sleepUntil(start + moment, null);
    Duration took = cluster.restartBroker();
    brokerRestarts++;
    out.printf("chaos: broker restarted on its data directory in %.1f s%n", took.toMillis() / 1000.0);
  }

  /** Kills a running instance (chosen by the seeded random), waits a seeded 0-3 s, starts it again. */
  private void killOne(Random random) throws IOException, InterruptedException {
    ensureAllRunning();
    ScoringInstance victim = instances.get(random.nextInt(instances.size()));
    long downtime = random.nextInt(3_000);
    awaitReady(victim);
    victim.kill();
    kills++;
    out.printf("chaos: kill -9 %s (kill %d of %d), restarting in %.1f s%n", victim.name(), kills, settings.kills(),
        downtime / 1000.0);
    Thread.sleep(downtime);
    victim.start();
  }

  /**
   * Waits until the instance is ready; an instance that exits on its own meanwhile is counted and started again, as
   * its supervisor (systemd, Kubernetes) would.
   */
  private void awaitReady(ScoringInstance instance) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        instance.awaitReady(READY_TIMEOUT);
        return;
      } catch (IOException e) {
        if (instance.isAlive() || attempt == 3) {
          throw e;
        }
        ensureAllRunning();
      }
    }
  }

  /** Restarts any instance that exited without being killed, and counts it. */
  private void ensureAllRunning() throws IOException {
    for (ScoringInstance instance : instances) {
      if (!instance.isAlive()) {
        unplannedExits++;
        out.println("chaos: " + instance.name() + " exited on its own; restarting it (see " + instance.log() + ")");
        instance.start();
      }
    }
  }

  private static void sleepUntil(long epochMillis, CompletableFuture<Void> sending) throws InterruptedException {
    while (System.currentTimeMillis() < epochMillis && (sending == null || !sending.isDone())) {
      Thread.sleep(Math.min(200, Math.max(1, epochMillis - System.currentTimeMillis())));
    }
  }
}
