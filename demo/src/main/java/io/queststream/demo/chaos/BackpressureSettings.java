package io.queststream.demo.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * One backpressure run: a single streams-app JVM with a small fixed heap, fed faster than it can score.
 *
 * @param classpath classpath of the broker and streams-app JVMs
 * @param registryHome the unpacked schema registry
 * @param workDir broker data, instance state and logs
 * @param turns good turns sent at least (every role); more go out while the backlog has not yet grown tenfold
 * @param rate turns per second offered, far above the scoring rate
 * @param maxHeap the streams-app's -Xmx, e.g. {@code 384m}
 * @param batchMaxSize the micro-batch size limit of the app (per task)
 * @param partitions partitions of chat-turns, one task (and one micro-batch buffer) each
 * @param drainTimeout how long to wait after the last turn for every score
 */
public record BackpressureSettings(String classpath, Path registryHome, Path workDir, long turns, double rate,
    String maxHeap, int batchMaxSize, int partitions, Duration drainTimeout) {

  /**
   * How much more heap (live after a full collection) the instance may hold at the peak lag than at the baseline,
   * when the lag was a tenth or less: the backlog must wait in the broker, not in the heap.
   */
  public static final long LIVE_HEAP_GROWTH_BOUND_MIB = 32;
  /** The same for resident memory (heap, metaspace, the ONNX runtime's and RocksDB's native memory). */
  public static final long RESIDENT_GROWTH_BOUND_MIB = 160;

  /** Turns a task may have with the model at once (batch.max-in-flight): one full batch. */
  public int batchMaxInFlight() {
    return batchMaxSize;
  }

  /** The turns sent at least before the baseline is taken: a fifteenth of the whole. */
  public long baselineTurns() {
    return Math.max(1, turns / 15);
  }

  /** The -Xmx value in bytes. */
  public long maxHeapBytes() {
    String h = maxHeap.trim().toLowerCase(Locale.ROOT);
    long unit = switch (h.charAt(h.length() - 1)) {
      case 'k' -> 1024L;
      case 'm' -> 1024L * 1024;
      case 'g' -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    String digits = Character.isDigit(h.charAt(h.length() - 1)) ? h : h.substring(0, h.length() - 1);
    return Long.parseLong(digits) * unit;
  }
}
