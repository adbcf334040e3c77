package io.queststream.demo.chaos;

import io.queststream.demo.chaos.BackpressureReport.MetricPeaks;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.sample.SampleData;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Backpressure with real processes: one streams-app JVM with a small fixed heap, and turns sent far faster than it
 * can score them, so a backlog builds on chat-turns. Kafka Streams pauses its fetches once its per-partition record
 * buffers are full and the micro-batch buffers flush at their size limit, so the backlog stays in the broker, not in
 * the heap. While the run goes on, /metrics is scraped every second (heap used/committed, turns in the micro-batch
 * buffers) and the group's lag is computed from its committed offsets. Once a fifteenth of the turns is out and
 * the lag has reached a small backlog, the instance's memory is measured (live heap after a full collection,
 * resident memory); the feed goes on until the planned turns are out and the lag has grown tenfold, and the memory
 * is measured again. At the end a read_committed consumer counts the scores per assistant turn.
 */
public final class BackpressureRun {

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final String APPLICATION_ID = "quest-stream-backpressure";

  private final BackpressureSettings settings;
  private final PrintStream out;

  public BackpressureRun(BackpressureSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** The feed stops after this many times the planned turns even if the backlog has not grown enough. */
  private static final long SEND_CAP_FACTOR = 4;
  /** The smallest backlog (records) the baseline is taken at. */
  private static final long BASELINE_MIN_LAG = 10;
  /**
   * The feed stops at this share above the tenfold backlog: the app goes on scoring while the peak checkpoint's
   * full collection runs, and the lag it records must still be tenfold.
   */
  private static final double PEAK_MARGIN = 1.3;
  /**
   * A machine that scores fast drains more of the backlog during the checkpoint's full collection: when the lag read
   * after it is below tenfold, the feed goes on to a trigger this much higher and the checkpoint is taken again.
   */
  private static final double PEAK_MARGIN_STEP = 1.5;
  private static final int PEAK_ATTEMPTS = 4;
  /** How long a warm-up burst may take to be scored. */
  private static final Duration WARM_UP_TIMEOUT = Duration.ofMinutes(3);
  /** Warm-up bursts end once one grows resident memory by this much or less ... */
  private static final long WARM_UP_SETTLED_MIB = 16;
  /** ... or after this many. */
  private static final int WARM_UP_MAX_BURSTS = 6;

  public BackpressureReport run() throws Exception {
    Files.createDirectories(settings.workDir());
    WeightsKeys keys = WeightsKeys.createOrLoad(settings.workDir().resolve("signing"));
    Path heads = PlumbingHeads.writeMiniLmFile(settings.workDir().resolve("plumbing-heads.avro"), keys.signer());
    out.printf("backpressure: %d turns offered at %.0f/s to one streams-app with -Xmx%s%n", settings.turns(),
        settings.rate(), settings.maxHeap());
    try (LocalCluster cluster = LocalCluster.start(settings.classpath(), settings.workDir().resolve("cluster"),
        settings.registryHome(), LocalCluster.portOrFree(0), LocalCluster.portOrFree(0), LocalCluster.portOrFree(0),
        settings.partitions());
        ScoringInstance app = new ScoringInstance("streams-app", settings.classpath(),
            settings.workDir().resolve("streams-app"), cluster.logs().resolve("streams-app.log"), List.of(
                "bootstrap.servers=" + cluster.bootstrapServers(),
                "schema.registry.url=" + cluster.registryUrl(),
                "application.id=" + APPLICATION_ID,
                "weights.initial-file=" + heads,
                "weights.trusted-keys-file=" + keys.publicKeyFile(),
                "batch.max-size=" + settings.batchMaxSize(),
                "batch.max-in-flight=" + settings.batchMaxInFlight(),
                "topics.create-missing=false",
                // The run measures the scoring path's heap, buffers and lag under overload.
                "analytics.enabled=false"), settings.maxHeap())) {
      app.start();
      app.awaitReady(READY_TIMEOUT);
      out.println("backpressure: streams-app ready; warming up");
      return flood(cluster, app);
    }
  }

  private BackpressureReport flood(LocalCluster cluster, ScoringInstance app) throws Exception {
    AtomicReference<MetricPeaks> peaks = new AtomicReference<>(MetricPeaks.NONE);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "backpressure-gauges");
      t.setDaemon(true);
      return t;
    });
    try (TurnFeed feed = new TurnFeed(SampleData.load(), cluster.bootstrapServers(), cluster.registryUrl());
        OutcomeAudit audit = new OutcomeAudit(Map.of("bootstrap.servers", cluster.bootstrapServers(),
            "schema.registry.url", cluster.registryUrl()), "turn-scores", "scoring-dlq");
        InstanceGauges gauges = new InstanceGauges(Map.of("bootstrap.servers", cluster.bootstrapServers()),
            APPLICATION_ID, "chat-turns")) {
      feed.publishCards();
      sampler.scheduleAtFixedRate(() -> {
        gauges.sample(List.of(app));
        AppMetrics.scrape(app.metricsUrl()).ifPresent(m -> peaks.updateAndGet(p -> p.with(m)));
      }, 0, 1, TimeUnit.SECONDS);
      warmUp(app, feed, audit, gauges);
      long started = System.nanoTime();
      long floodStart = feed.sent();
      long cap = floodStart + settings.turns() * SEND_CAP_FACTOR;
      // The feed runs on its own thread and pauses for each checkpoint, so the backlog each one records is the
      // backlog it claims, however fast this machine scores. The baseline records the largest lag read from the
      // trigger to after its full collection (the app scores on meanwhile, and a backlog of a few turns can drain
      // before the feed has stopped, so its memory is read at a backlog no larger than that); the peak
      // records the lag read after it (its memory is read at a backlog no smaller than that).
      Flood flood = Flood.start(feed, settings.rate(), cap);
      long lagAtTrigger = awaitBacklog(gauges, flood, () -> true, BASELINE_MIN_LAG);
      flood.stop();
      long lagBefore = gauges.lag().orElse(0);
      MemoryCheckpoint measured = MemoryCheckpoint.take(app, gauges);
      MemoryCheckpoint baseline = measured.withLag(Math.max(lagAtTrigger, Math.max(lagBefore, measured.lag())));
      out.printf("backpressure: baseline at lag %d: live heap %d MiB, resident %d MiB%n", baseline.lag(),
          baseline.liveHeapMiB(), baseline.residentMiB());
      long tenfold = BackpressureReport.LAG_GROWTH * baseline.lag();
      MemoryCheckpoint peak = null;
      long lastSent = 0;
      double margin = PEAK_MARGIN;
      for (int attempt = 1; attempt <= PEAK_ATTEMPTS; attempt++) {
        flood = Flood.start(feed, settings.rate(), cap);
        awaitBacklog(gauges, flood, () -> feed.sent() - floodStart >= settings.turns(), (long) (margin * tenfold));
        flood.stop();
        lastSent = System.nanoTime();
        MemoryCheckpoint taken = MemoryCheckpoint.take(app, gauges);
        // The largest memory of every peak checkpoint, so that one taken at a smaller backlog is bounded too.
        peak = peak == null ? taken : taken.withMemoryNoLessThan(peak);
        if (taken.lag() >= tenfold || feed.sent() >= cap) {
          break;
        }
        out.printf("backpressure: the backlog drained to %d during the checkpoint (tenfold: %d); flooding on%n",
            taken.lag(), tenfold);
        margin *= PEAK_MARGIN_STEP;
      }
      out.printf("backpressure: at lag %d: live heap %d MiB, resident %d MiB%n", peak.lag(), peak.liveHeapMiB(),
          peak.residentMiB());
      out.printf("backpressure: sent %d turns in %.1f s; lag so far %d records; waiting for every score%n",
          feed.sent(), (lastSent - started) / 1e9, gauges.peakLag());
      boolean complete = audit.awaitAll(feed.assistantTurns(), Set.of(), settings.drainTimeout());
      Duration drain = Duration.ofNanos(System.nanoTime() - lastSent);
      // Late duplicates would come after the expected scores; give them a moment to show up.
      Thread.sleep(3_000);
      audit.catchUp(Duration.ofSeconds(30));
      sampler.shutdownNow();
      sampler.awaitTermination(10, TimeUnit.SECONDS);
      if (!complete) {
        out.println("backpressure: not every score arrived within " + settings.drainTimeout().toSeconds() + " s");
      }
      return BackpressureReport.of(feed.sent(), feed.assistantTurns(), audit.scoreCounts(),
          Duration.ofNanos(lastSent - started), drain, Duration.ofNanos(System.nanoTime() - started),
          gauges.peakLag(), settings.maxHeapBytes(), peaks.get(),
          (long) settings.partitions() * (settings.batchMaxSize() + settings.batchMaxInFlight()), gauges.peakRssMiB(), baseline, peak,
          app.isAlive());
    } finally {
      sampler.shutdownNow();
    }
  }

  /**
   * Sends bursts of full batches for every task, each scored completely before the next, until the instance's
   * resident memory stops growing from one burst to the next: the model runtime's native buffers grow with the
   * largest batch shape seen (batch size times the longest turn in it), not with the backlog, and the baseline must
   * not count that growth as the backlog's. Then waits for committed offsets on every partition, so the lag is
   * visible from the first flooded turn on.
   */
  private void warmUp(ScoringInstance app, TurnFeed feed, OutcomeAudit audit, InstanceGauges gauges) throws Exception {
    long burst = 2L * settings.partitions() * settings.batchMaxSize() * 2;
    long previous = 0;
    for (int round = 1; round <= WARM_UP_MAX_BURSTS; round++) {
      feed.send(feed.sent() + burst, settings.rate(), 0);
      if (!audit.awaitAll(feed.assistantTurns(), Set.of(), WARM_UP_TIMEOUT)) {
        throw new IllegalStateException("the warm-up turns were not all scored within " + WARM_UP_TIMEOUT);
      }
      long resident = MemoryCheckpoint.take(app, gauges).residentMiB();
      out.printf("backpressure: warm-up burst %d: %d turns scored, resident %d MiB%n", round, feed.sent(), resident);
      if (round > 1 && resident - previous <= WARM_UP_SETTLED_MIB) {
        break;
      }
      previous = resident;
    }
    long deadline = System.nanoTime() + WARM_UP_TIMEOUT.toNanos();
    while (gauges.lag().orElse(Long.MAX_VALUE) > 0 || gauges.committedPartitions() < settings.partitions()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the group did not commit every warm-up turn within " + WARM_UP_TIMEOUT);
      }
      Thread.sleep(100);
    }
    out.printf("backpressure: %d warm-up turns scored; flooding%n", feed.sent());
  }

  /**
   * Waits until {@code ready} holds and the group's lag is at least {@code minLag}, or the feed has stopped (its
   * cap reached: the checkpoint then records the backlog there was, and the report says whether it was enough).
   * Returns the last lag read: the largest backlog the checkpoint after it can claim, since the app goes on
   * scoring between this reading and the ones after the feed has stopped (a small backlog can drain in between).
   */
  private static long awaitBacklog(InstanceGauges gauges, Flood flood, BooleanSupplier ready, long minLag)
      throws InterruptedException, ExecutionException {
    long lag = 0;
    while (!flood.isDone()) {
      lag = gauges.lag().orElse(0);
      if (ready.getAsBoolean() && lag >= minLag) {
        return lag;
      }
      Thread.sleep(100);
    }
    flood.stop();
    return lag;
  }

  /** The feed sending on its own thread until stopped or until {@code cap} turns are out in all. */
  private record Flood(AtomicBoolean stopped, CompletableFuture<Void> sending) {

    static Flood start(TurnFeed feed, double rate, long cap) {
      AtomicBoolean stopped = new AtomicBoolean();
      return new Flood(stopped, CompletableFuture.runAsync(() -> {
        try {
          feed.sendUntil(() -> stopped.get() || feed.sent() >= cap, rate, 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CompletionException(e);
        } catch (ExecutionException e) {
          throw new CompletionException(e);
        }
      }));
    }

    boolean isDone() {
      return sending.isDone();
    }

    /** Stops sending and waits until every turn sent is acknowledged. */
    void stop() throws InterruptedException, ExecutionException {
      stopped.set(true);
      sending.get();
    }
  }
}
