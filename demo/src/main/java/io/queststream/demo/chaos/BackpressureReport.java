package io.queststream.demo.chaos;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a backpressure run offered, how the one instance held up, and what a read_committed consumer saw at the end.
 *
 * @param turnsSent turns sent (every role)
 * @param assistantTurns assistant turns among them: each must have exactly one score
 * @param sending how long sending took
 * @param drain from the last turn sent until every score was visible
 * @param elapsed from the first turn sent to the end of the audit
 * @param scored assistant turns with at least one score
 * @param duplicateScores scores beyond the first, summed over turns
 * @param lostScores assistant turns without a score
 * @param unexpectedScores scores for turn ids that were never sent as assistant turns
 * @param peakLag largest lag (records) of the application's committed offsets behind the end of chat-turns
 * @param maxHeapBytes the configured -Xmx
 * @param peakHeapUsedBytes largest heap in use seen on /metrics (between collections: how lazily the GC ran)
 * @param peakHeapCommittedBytes largest heap committed seen on /metrics
 * @param peakPendingTurns largest number of assistant turns in the micro-batch buffers
 * @param pendingLimit the buffers' bound: batch.max-size waiting plus batch.max-in-flight with the model, per task
 * @param peakRssMiB largest resident memory of the instance (heap, metaspace and the ONNX runtime's native memory)
 * @param baseline memory at a small backlog
 * @param atPeak memory after the last turn was sent, at (about) the peak lag
 * @param aliveAtEnd whether the instance was still running after the audit (it is never restarted)
 * @param samples scrapes of /metrics that answered
 */
public record BackpressureReport(long turnsSent, int assistantTurns, Duration sending, Duration drain,
    Duration elapsed, int scored, int duplicateScores, int lostScores, int unexpectedScores, long peakLag,
    long maxHeapBytes, long peakHeapUsedBytes, long peakHeapCommittedBytes, long peakPendingTurns, long pendingLimit,
    long peakRssMiB, MemoryCheckpoint baseline, MemoryCheckpoint atPeak, boolean aliveAtEnd, int samples) {

  private static final long MIB = 1024 * 1024;
  /** The backlog must grow this many times over between the two memory checkpoints. */
  static final int LAG_GROWTH = 10;

  static BackpressureReport of(long turnsSent, Set<String> assistant, Map<String, Integer> scores, Duration sending,
      Duration drain, Duration elapsed, long peakLag, long maxHeapBytes, MetricPeaks peaks, long pendingLimit,
      long peakRssMiB, MemoryCheckpoint baseline, MemoryCheckpoint atPeak, boolean aliveAtEnd) {
    return new BackpressureReport(turnsSent, assistant.size(), sending, drain, elapsed,
        (int) assistant.stream().filter(scores::containsKey).count(),
        scores.values().stream().mapToInt(c -> c - 1).sum(),
        (int) assistant.stream().filter(t -> !scores.containsKey(t)).count(),
        (int) scores.keySet().stream().filter(t -> !assistant.contains(t)).count(), peakLag, maxHeapBytes,
        peaks.heapUsedBytes(), peaks.heapCommittedBytes(), peaks.pendingTurns(), pendingLimit, peakRssMiB, baseline,
        atPeak, aliveAtEnd, peaks.samples());
  }

  /** Largest values over the scrapes of a run. */
  record MetricPeaks(long heapUsedBytes, long heapCommittedBytes, long pendingTurns, int samples) {

    static final MetricPeaks NONE = new MetricPeaks(0, 0, 0, 0);

    MetricPeaks with(AppMetrics m) {
      return new MetricPeaks(Math.max(heapUsedBytes, m.heapUsedBytes()),
          Math.max(heapCommittedBytes, m.heapCommittedBytes()), Math.max(pendingTurns, m.pendingTurns()),
          samples + 1);
    }
  }

  /** The backlog grew at least {@value #LAG_GROWTH} times between the checkpoints. */
  public boolean lagGrewTenfold() {
    return baseline.lag() > 0 && atPeak.lag() >= LAG_GROWTH * baseline.lag();
  }

  public long liveHeapGrowthMiB() {
    return (atPeak.liveHeapBytes() - baseline.liveHeapBytes()) / MIB;
  }

  public long residentGrowthMiB() {
    return (atPeak.residentBytes() - baseline.residentBytes()) / MIB;
  }

  /**
   * Every turn scored once, the instance alive at the end, the buffers in their bound, and, while the backlog grew
   * tenfold, live heap and resident memory within their stated bounds of the baseline.
   */
  public boolean held() {
    return duplicateScores == 0 && lostScores == 0 && unexpectedScores == 0 && aliveAtEnd
        && peakPendingTurns <= pendingLimit && lagGrewTenfold()
        && liveHeapGrowthMiB() <= BackpressureSettings.LIVE_HEAP_GROWTH_BOUND_MIB
        && residentGrowthMiB() <= BackpressureSettings.RESIDENT_GROWTH_BOUND_MIB;
  }

  public String table() {
    return String.join("\n",
        "| measure | value |",
        "|---|---|",
        "| turns sent (all roles) | " + turnsSent + " |",
        "| assistant turns sent | " + assistantTurns + " |",
        "| sending (s) | " + seconds(sending) + " |",
        "| assistant turns scored | " + scored + " |",
        "| duplicate scores | " + duplicateScores + " |",
        "| lost scores | " + lostScores + " |",
        "| unexpected scores | " + unexpectedScores + " |",
        "| lag at the baseline / after the last turn / peak (records) | " + baseline.lag() + " / " + atPeak.lag()
            + " / " + peakLag + " |",
        "| live heap after a full GC at the baseline / after the last turn (MiB), bound +"
            + BackpressureSettings.LIVE_HEAP_GROWTH_BOUND_MIB + " | " + baseline.liveHeapMiB() + " / "
            + atPeak.liveHeapMiB() + " |",
        "| resident memory at the baseline / after the last turn (MiB), bound +"
            + BackpressureSettings.RESIDENT_GROWTH_BOUND_MIB + " | " + baseline.residentMiB() + " / "
            + atPeak.residentMiB() + " |",
        "| peak resident memory (MiB) | " + peakRssMiB + " |",
        "| peak heap used between collections / committed / -Xmx (MiB) | " + peakHeapUsedBytes / MIB + " / "
            + peakHeapCommittedBytes / MIB + " / " + maxHeapBytes / MIB + " |",
        "| peak turns in the micro-batch buffers / bound | " + peakPendingTurns + " / " + pendingLimit + " |",
        "| drain after last input (s) | " + seconds(drain) + " |",
        "| elapsed (s) | " + seconds(elapsed) + " |",
        "| instance alive at the end (never restarted) | " + (aliveAtEnd ? "yes" : "NO") + " |",
        "| /metrics samples | " + samples + " |",
        "| verdict | " + (held() ? "held: nothing lost or duplicated, memory bounded while the lag grew tenfold"
            : "FAILED") + " |");
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }
}
