package io.queststream.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short backpressure run of CI: real broker and registry, one streams-app JVM with -Xmx384m, turns offered at
 * many times its scoring rate. While the backlog grows tenfold it must wait in the broker (lag), not in the
 * instance: live heap and resident memory stay within their stated bounds of a baseline taken at a small backlog,
 * and the backlog drains with every assistant turn scored exactly once.
 */
class BackpressureIT {

  @Test
  void aTenfoldBacklogWaitsInTheBrokerNotInMemoryAndEveryTurnIsScoredOnce() throws Exception {
    BackpressureSettings settings = new BackpressureSettings(ProcessClasspath.ofThisModule(),
        ProcessClasspath.registryHome(), ProcessClasspath.workDir("backpressure"), 450, 150, "384m", 32, 3,
        Duration.ofMinutes(5));

    BackpressureReport report = new BackpressureRun(settings, System.out).run();
    System.out.println(report.table());
    ProcessClasspath.writeReport("backpressure.md", report.table());

    assertThat(report.assistantTurns()).as("enough assistant turns to matter").isGreaterThan(200);
    assertThat(report.baseline().lag()).as("a backlog at the baseline").isGreaterThanOrEqualTo(10);
    assertThat(report.atPeak().lag()).as("the backlog grew tenfold after the baseline")
        .isGreaterThanOrEqualTo(BackpressureReport.LAG_GROWTH * report.baseline().lag());
    assertThat(report.liveHeapGrowthMiB()).as("live heap growth (MiB) while the backlog grew tenfold")
        .isLessThanOrEqualTo(BackpressureSettings.LIVE_HEAP_GROWTH_BOUND_MIB);
    assertThat(report.residentGrowthMiB()).as("resident memory growth (MiB) while the backlog grew tenfold")
        .isLessThanOrEqualTo(BackpressureSettings.RESIDENT_GROWTH_BOUND_MIB);
    // A turn handed to the model stays in its buffer until its score is forwarded (exactly once): waiting turns
    // (batch.max-size) and turns with the model (batch.max-in-flight) per task.
    assertThat(report.peakPendingTurns()).as("micro-batch buffers within batch.max-size + batch.max-in-flight per task")
        .isLessThanOrEqualTo(report.pendingLimit());
    assertThat(report.aliveAtEnd()).as("the instance, never restarted, is still running").isTrue();
    assertThat(report.lostScores()).as("assistant turns without a score").isZero();
    assertThat(report.duplicateScores()).as("duplicate scores").isZero();
    assertThat(report.unexpectedScores()).as("scores for turns never sent").isZero();
    assertThat(report.scored()).as("scored assistant turns").isEqualTo(report.assistantTurns());
    assertThat(report.held()).isTrue();
  }
}
