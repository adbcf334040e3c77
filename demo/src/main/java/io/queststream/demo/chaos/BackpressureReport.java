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
 * @param peakHeapUsedBytes largest heap in use seen on /metrics
 * @param peakHeapCommittedBytes largest heap committed seen on /metrics
 * @param peakPendingTurns largest number of assistant turns in the micro-batch buffers
 * @param pendingLimit the buffers' bound: batch.max-size per task
 * @param peakRssMiB largest resident memory of the instance (heap, metaspace and the ONNX runtime's native memory)
 * @param starts how often the instance was started (1: it never died)
 * @param aliveAtEnd whether the instance was still running after the audit
 * @param samples scrapes of /metrics that answered
 */
public record BackpressureReport(long turnsSent, int assistantTurns, Duration sending, Duration drain,
    Duration elapsed, int scored, int duplicateScores, int lostScores, int unexpectedScores, long peakLag,
    long maxHeapBytes, long peakHeapUsedBytes, long peakHeapCommittedBytes, long peakPendingTurns, long pendingLimit,
    long peakRssMiB, int starts, boolean aliveAtEnd, int samples) {

  private static final long MIB = 1024 * 1024;

  static BackpressureReport of(long turnsSent, Set<String> assistant, Map<String, Integer> scores, Duration sending,
      Duration drain, Duration elapsed, long peakLag, long maxHeapBytes, MetricPeaks peaks, long pendingLimit,
      long peakRssMiB, int starts, boolean aliveAtEnd) {
    return new BackpressureReport(turnsSent, assistant.size(), sending, drain, elapsed,
        (int) assistant.stream().filter(scores::containsKey).count(),
        scores.values().stream().mapToInt(c -> c - 1).sum(),
        (int) assistant.stream().filter(t -> !scores.containsKey(t)).count(),
        (int) scores.keySet().stream().filter(t -> !assistant.contains(t)).count(), peakLag, maxHeapBytes,
        peaks.heapUsedBytes(), peaks.heapCommittedBytes(), peaks.pendingTurns(), pendingLimit, peakRssMiB, starts,
        aliveAtEnd, peaks.samples());
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

  /** Every turn scored once, the instance never died, the heap and the buffers stayed in their bounds. */
  public boolean held() {
    return duplicateScores == 0 && lostScores == 0 && unexpectedScores == 0 && starts == 1 && aliveAtEnd
        && peakHeapUsedBytes <= maxHeapBytes && peakPendingTurns <= pendingLimit;
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
        "| peak lag on chat-turns (records, committed vs end offsets) | " + peakLag + " |",
        "| drain after last input (s) | " + seconds(drain) + " |",
        "| elapsed (s) | " + seconds(elapsed) + " |",
        "| peak heap used (MiB) / -Xmx (MiB) | " + peakHeapUsedBytes / MIB + " / " + maxHeapBytes / MIB + " |",
        "| peak heap committed (MiB) | " + peakHeapCommittedBytes / MIB + " |",
        "| peak resident memory (MiB) | " + peakRssMiB + " |",
        "| peak turns in the micro-batch buffers / bound | " + peakPendingTurns + " / " + pendingLimit + " |",
        "| starts of the instance (1: never died) | " + starts + (aliveAtEnd ? ", alive at the end" : ", DEAD") + " |",
        "| /metrics samples | " + samples + " |",
        "| verdict | " + (held() ? "held: nothing lost or duplicated, memory bounded" : "FAILED") + " |");
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }
}
