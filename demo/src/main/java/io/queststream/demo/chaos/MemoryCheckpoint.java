package io.queststream.demo.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The instance's memory at one moment of a backpressure run, next to the lag it carries: the heap still in use
 * right after a full collection (what the app really holds, unlike the heap in use between collections, which only
 * says how lazily the collector runs) and the resident memory of the process.
 */
record MemoryCheckpoint(long lag, long liveHeapBytes, long residentBytes) {

  private static final long MIB = 1024 * 1024;

  /** Forces a full collection in the instance ({@code jcmd <pid> GC.run}), then reads heap, memory and lag. */
  static MemoryCheckpoint take(ScoringInstance app, InstanceGauges gauges) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.run").redirectErrorStream(true)
        .start();
    String output = new String(gc.getInputStream().readAllBytes());
    if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
      throw new IOException("jcmd GC.run on " + app.name() + " failed: " + output.trim());
    }
    AppMetrics metrics = AppMetrics.scrape(app.metricsUrl())
        .orElseThrow(() -> new IOException(app.name() + " did not answer on /metrics"));
    long rss = InstanceGauges.residentBytes(app.pid())
        .orElseThrow(() -> new IOException("no resident memory for " + app.name()));
    long lag = gauges.lag().orElseThrow(() -> new IOException("no committed offsets of the group yet"));
    return new MemoryCheckpoint(lag, metrics.heapUsedBytes(), rss);
  }

  /** The same memory next to another lag reading of the same moment. */
  MemoryCheckpoint withLag(long otherLag) {
    return new MemoryCheckpoint(otherLag, liveHeapBytes, residentBytes);
  }

  /** This lag, with the larger of this and the other checkpoint's live heap and resident memory. */
  MemoryCheckpoint withMemoryNoLessThan(MemoryCheckpoint other) {
    return new MemoryCheckpoint(lag, Math.max(liveHeapBytes, other.liveHeapBytes),
        Math.max(residentBytes, other.residentBytes));
  }

  long liveHeapMiB() {
    return liveHeapBytes / MIB;
  }

  long residentMiB() {
    return residentBytes / MIB;
  }
}
