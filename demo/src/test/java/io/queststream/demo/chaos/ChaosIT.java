package io.queststream.demo.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of CI: real broker, registry and two streams-app JVMs; SIGKILLs at seeded moments and one
 * broker restart while turns flow. A read_committed consumer must see every assistant turn scored exactly once and
 * every bad record dead-lettered exactly once.
 */
class ChaosIT {

  @Test
  void killsAndABrokerRestartLoseAndDuplicateNothing() throws Exception {
    ChaosSettings settings = new ChaosSettings(ProcessClasspath.ofThisModule(), ProcessClasspath.registryHome(),
        ProcessClasspath.workDir("chaos"), Duration.ofSeconds(40), 6, 20, 3, true, 7, Duration.ofMinutes(3),
        LocalCluster.portOrFree(0), LocalCluster.portOrFree(0), LocalCluster.portOrFree(0));

    ChaosReport report = new ChaosRun(settings, System.out).run();
    System.out.println(report.table());
    ProcessClasspath.writeReport("chaos.md", report.table());

    assertEquals(3, report.kills(), "kills");
    assertEquals(1, report.brokerRestarts(), "broker restarts");
    assertTrue(report.assistantTurns() > 50, "enough assistant turns to matter: " + report.assistantTurns());
    assertTrue(report.badRecords() >= 10, "bad records: " + report.badRecords());
    assertEquals(0, report.lostScores(), "assistant turns without a score");
    assertEquals(0, report.duplicateScores(), "duplicate scores");
    assertEquals(0, report.unexpectedScores(), "scores for turns never sent");
    assertEquals(report.assistantTurns(), report.scored(), "scored assistant turns");
    assertEquals(0, report.missingDeadLetters(), "bad records without a dead letter");
    assertEquals(0, report.duplicateDeadLetters(), "duplicate dead letters");
    assertEquals(0, report.unexpectedDeadLetters(), "dead letters for good records");
  }
}
