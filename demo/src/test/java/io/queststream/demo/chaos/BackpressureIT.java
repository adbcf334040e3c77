package io.queststream.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short backpressure run of CI: real broker and registry, one streams-app JVM with -Xmx384m, turns offered at
 * many times its scoring rate. The backlog must build in the broker (lag), not in the heap, and drain with every
 * assistant turn scored exactly once.
 */
class BackpressureIT {

  @Test
  void aFloodBuildsLagNotHeapAndEveryTurnIsScoredOnce() throws Exception {
    BackpressureSettings settings = new BackpressureSettings(ProcessClasspath.ofThisModule(),
        ProcessClasspath.registryHome(), ProcessClasspath.workDir("backpressure"), 400, 150, "384m", 32, 3,
        Duration.ofMinutes(5));

    BackpressureReport report = new BackpressureRun(settings, System.out).run();
    System.out.println(report.table());
    ProcessClasspath.writeReport("backpressure.md", report.table());

    assertTrue(report.assistantTurns() > 200, "enough assistant turns to matter: " + report.assistantTurns());
    assertTrue(report.peakLag() >= 100, "input outran scoring: peak lag " + report.peakLag());
    assertTrue(report.samples() >= 10, "/metrics was sampled during the run: " + report.samples());
    assertTrue(report.peakHeapUsedBytes() > 0, "heap use was read from /metrics");
    assertTrue(report.peakHeapUsedBytes() <= settings.maxHeapBytes(),
        "peak heap used " + report.peakHeapUsedBytes() + " within -Xmx " + settings.maxHeapBytes());
    assertTrue(report.peakPendingTurns() <= report.pendingLimit(),
        "micro-batch buffers within batch.max-size per task: " + report.peakPendingTurns());
    assertEquals(1, report.starts(), "the instance was never restarted");
    assertTrue(report.aliveAtEnd(), "the instance is still running");
    assertEquals(0, report.lostScores(), "assistant turns without a score");
    assertEquals(0, report.duplicateScores(), "duplicate scores");
    assertEquals(0, report.unexpectedScores(), "scores for turns never sent");
    assertEquals(report.assistantTurns(), report.scored(), "scored assistant turns");
  }
}
