package io.queststream.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AppMetricsTest {

  @Test
  void sumsTheHeapPoolsAndReadsTheBufferGaugeFromPrometheusText() {
    String text = String.join("\n",
        "# HELP jvm_memory_used_bytes The amount of used memory",
        "# TYPE jvm_memory_used_bytes gauge",
        "jvm_memory_used_bytes{area=\"heap\",id=\"Eden Space\"} 1.048576E7",
        "jvm_memory_used_bytes{area=\"heap\",id=\"Tenured Gen\"} 2.097152E7",
        "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9.9E7",
        "jvm_memory_committed_bytes{area=\"heap\",id=\"Eden Space\"} 3.0E7",
        "jvm_memory_committed_bytes{area=\"heap\",id=\"Tenured Gen\"} 6.0E7",
        "jvm_memory_max_bytes{area=\"heap\",id=\"Eden Space\"} 1.0E8",
        "jvm_memory_max_bytes{area=\"heap\",id=\"Tenured Gen\"} 3.0E8",
        "jvm_memory_max_bytes{area=\"nonheap\",id=\"Metaspace\"} -1.0",
        "# TYPE quest_batch_pending gauge",
        "quest_batch_pending 7.0",
        "quest_batch_pending_other 99.0");

    AppMetrics m = AppMetrics.parse(text);

    assertEquals(31_457_280, m.heapUsedBytes());
    assertEquals(90_000_000, m.heapCommittedBytes());
    assertEquals(400_000_000, m.heapMaxBytes());
    assertEquals(7, m.pendingTurns());
  }

  @Test
  void readsTheHeapLimitInJvmUnits() {
    assertEquals(384L * 1024 * 1024, settings("384m").maxHeapBytes());
    assertEquals(1024L * 1024 * 1024, settings("1G").maxHeapBytes());
    assertEquals(512L * 1024, settings("512k").maxHeapBytes());
  }

  private static BackpressureSettings settings(String heap) {
    return new BackpressureSettings("", Path.of("."), Path.of("."), 1, 1, heap, 1, 1, Duration.ZERO);
  }
}
