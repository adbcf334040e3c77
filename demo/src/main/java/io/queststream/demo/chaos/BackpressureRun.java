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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backpressure with real processes: one streams-app JVM with a small fixed heap, and turns sent far faster than it
 * can score them, so a backlog builds on chat-turns. Kafka Streams pauses its fetches once its per-partition record
 * buffers are full and the micro-batch buffers flush at their size limit, so the backlog stays in the broker, not in
 * the heap. While the run goes on, /metrics is scraped every second (heap used/committed, turns in the micro-batch
 * buffers) and the group's lag is computed from its committed offsets. A fifteenth of the turns goes first and
 * the instance's memory is measured at that small backlog (live heap after a full collection, resident memory); the
 * rest follows and the memory is measured again at the peak lag. At the end a read_committed consumer counts the
 * scores per assistant turn.
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
      out.println("backpressure: streams-app ready; flooding chat-turns");
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
      long started = System.nanoTime();
      feed.send(settings.baselineTurns(), settings.rate(), 0);
      Thread.sleep(3_000);
      MemoryCheckpoint baseline = MemoryCheckpoint.take(app, gauges);
      out.printf("backpressure: baseline at lag %d: live heap %d MiB, resident %d MiB%n", baseline.lag(),
          baseline.liveHeapMiB(), baseline.residentMiB());
      feed.send(settings.turns(), settings.rate(), 0);
      long lastSent = System.nanoTime();
      MemoryCheckpoint peak = MemoryCheckpoint.take(app, gauges);
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
}
