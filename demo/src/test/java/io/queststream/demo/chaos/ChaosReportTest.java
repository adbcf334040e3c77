package io.queststream.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-fault accounting of a chaos run: every turn, score and dead letter lands in the row of its phase. */
class ChaosReportTest {

  private static final ChaosSettings SETTINGS = ChaosProfile.SHORT.settings("cp", Path.of("registry"),
      Path.of("work"), List.of(Fault.LEADER_KILL, Fault.ZOMBIE), 1);

  private static FaultEpisode episode(Fault fault, String phase, Optional<Duration> recovery, boolean aimed,
      boolean hit) {
    return new FaultEpisode(fault, phase, 0, recovery, aimed, hit, 1, "");
  }

  private static ChaosReport report(Map<String, Integer> scores, Map<String, Integer> deadLetters,
      List<FaultEpisode> episodes) {
    return ChaosReport.of(SETTINGS, 10, Set.of("a1", "a2", "a3", "a4"), Set.of("0@9", "1@8"),
        Map.of("a1", "leader-kill#1", "a2", "leader-kill#1", "a3", "zombie#1", "a4", "steady"),
        Map.of("0@1", "leader-kill#1", "0@2", "zombie#1", "1@3", "steady", "0@9", "zombie#1", "1@8", "steady"),
        episodes, 0, scores, deadLetters,
        Duration.ofSeconds(60), Duration.ofSeconds(5), 700, 40);
  }

  @Test
  void aDuplicateALossAndAStrayDeadLetterCountInTheRowOfTheFaultTheyHappenedIn() {
    ChaosReport report = report(Map.of("a1", 2, "a3", 1, "a4", 1), Map.of("0@9", 3, "1@8", 1, "0@2", 1),
        List.of(episode(Fault.LEADER_KILL, "leader-kill#1", Optional.of(Duration.ofMillis(4_200)), false, false),
            episode(Fault.ZOMBIE, "zombie#1", Optional.of(Duration.ofMillis(21_000)), true, true)));

    assertThat(report.rows()).extracting(ChaosReport.FaultRow::fault)
        .containsExactly("leader-kill", "zombie", ChaosReport.STEADY);
    ChaosReport.FaultRow leader = report.rows().get(0);
    assertThat(List.of(leader.runs(), leader.turns(), leader.lost(), leader.duplicated(),
        leader.duplicateDeadLetters(), leader.unexpectedDeadLetters())).containsExactly(1, 2, 1, 1, 0, 0);
    ChaosReport.FaultRow zombie = report.rows().get(1);
    assertThat(List.of(zombie.turns(), zombie.lost(), zombie.duplicated(), zombie.duplicateDeadLetters(),
        zombie.unexpectedDeadLetters())).containsExactly(1, 0, 0, 2, 1);
    assertThat(report.rows().get(2).duplicateDeadLetters()).isZero();
    assertThat(report.faultTable()).contains("| leader-kill | 1 | 2 | 1 | 1 | 0 | 0 | 4.2 | - |")
        .contains("| zombie | 1 | 1 | 0 | 0 | 2 | 1 | 21.0 | 1 of 1 |");
    assertThat(report.duplicateDeadLetters()).isEqualTo(2);
    assertThat(report.lostScores()).isEqualTo(1);
    assertThat(report.duplicateScores()).isEqualTo(1);
    assertThat(report.unexpectedDeadLetters()).isEqualTo(1);
    assertThat(report.passed()).isFalse();
  }

  @Test
  void aMissedAimOrAFaultNeverRecoveredFromFailsARunThatLostNothing() {
    Map<String, Integer> once = Map.of("a1", 1, "a2", 1, "a3", 1, "a4", 1);

    Map<String, Integer> dead = Map.of("0@9", 1, "1@8", 1);
    ChaosReport missed = report(once, dead, List.of(
        episode(Fault.ZOMBIE, "zombie#1", Optional.of(Duration.ofSeconds(20)), true, false)));
    ChaosReport unrecovered = report(once, dead, List.of(
        episode(Fault.LEADER_KILL, "leader-kill#1", Optional.empty(), false, false)));
    ChaosReport clean = report(once, dead, List.of(
        episode(Fault.LEADER_KILL, "leader-kill#1", Optional.of(Duration.ofSeconds(3)), false, false)));

    assertThat(missed.aimedMisses()).isEqualTo(1);
    assertThat(missed.passed()).isFalse();
    assertThat(unrecovered.unrecovered()).isEqualTo(1);
    assertThat(unrecovered.faultTable()).contains("| leader-kill | 1 | 2 | 0 | 0 | 0 | 0 | NOT RECOVERED | - |");
    assertThat(unrecovered.passed()).isFalse();
    assertThat(clean.passed()).isTrue();
  }
}
