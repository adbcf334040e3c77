package io.queststream.demo.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What a chaos run sent, what it did to the processes, and what a read_committed consumer saw at the end.
 *
 * @param turnsSent good turns sent (every role)
 * @param assistantTurns assistant turns among them: each must have exactly one score
 * @param badRecords bad records sent: each must have exactly one dead letter
 * @param kills SIGKILLs of streams-app instances
 * @param brokerRestarts broker stops and starts on the same data directory
 * @param unplannedExits instance exits nobody asked for (each was restarted)
 * @param scored assistant turns with at least one score
 * @param duplicateScores scores beyond the first, summed over turns
 * @param lostScores assistant turns without a score
 * @param unexpectedScores scores for turn ids that were never sent as assistant turns
 * @param deadLetters bad records with at least one dead letter
 * @param duplicateDeadLetters dead letters beyond the first, summed over bad records
 * @param missingDeadLetters bad records without a dead letter
 * @param unexpectedDeadLetters dead letters for records that were not sent as bad
 * @param elapsed from the first turn sent to the end of the audit
 * @param drain from the last turn sent until every expected output was visible
 * @param peakRssMiB largest resident memory of one streams-app instance (JVM started with -Xmx1g)
 * @param peakLag largest lag (records) of the application's committed offsets behind the end of chat-turns
 */
public record ChaosReport(long turnsSent, int assistantTurns, int badRecords, int kills, int brokerRestarts,
    int unplannedExits, int scored, int duplicateScores, int lostScores, int unexpectedScores, int deadLetters,
    int duplicateDeadLetters, int missingDeadLetters, int unexpectedDeadLetters, Duration elapsed, Duration drain,
    long peakRssMiB, long peakLag) {

  static ChaosReport of(long turnsSent, Set<String> assistant, Set<String> bad, int kills, int brokerRestarts,
      int unplannedExits, Map<String, Integer> scores, Map<String, Integer> deadLetters, Duration elapsed,
      Duration drain, long peakRssMiB, long peakLag) {
    return new ChaosReport(turnsSent, assistant.size(), bad.size(), kills, brokerRestarts, unplannedExits,
        (int) assistant.stream().filter(scores::containsKey).count(), extra(scores),
        (int) assistant.stream().filter(t -> !scores.containsKey(t)).count(),
        (int) scores.keySet().stream().filter(t -> !assistant.contains(t)).count(),
        (int) bad.stream().filter(deadLetters::containsKey).count(), extra(deadLetters),
        (int) bad.stream().filter(p -> !deadLetters.containsKey(p)).count(),
        (int) deadLetters.keySet().stream().filter(p -> !bad.contains(p)).count(), elapsed, drain, peakRssMiB,
        peakLag);
  }

  private static int extra(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(c -> c - 1).sum();
  }

  /** Zero lost, zero duplicated, nothing unexpected, on both the score and the dead-letter side. */
  public boolean exactlyOnce() {
    return duplicateScores == 0 && lostScores == 0 && unexpectedScores == 0 && duplicateDeadLetters == 0
        && missingDeadLetters == 0 && unexpectedDeadLetters == 0;
  }

  public String table() {
    return String.join("\n",
        "| measure | count |",
        "|---|---|",
        "| turns sent (all roles) | " + turnsSent + " |",
        "| assistant turns sent | " + assistantTurns + " |",
        "| bad records sent | " + badRecords + " |",
        "| kill -9 of a streams-app instance | " + kills + " |",
        "| broker restarts | " + brokerRestarts + " |",
        "| unplanned instance exits | " + unplannedExits + " |",
        "| assistant turns scored | " + scored + " |",
        "| duplicate scores | " + duplicateScores + " |",
        "| lost scores | " + lostScores + " |",
        "| unexpected scores | " + unexpectedScores + " |",
        "| bad records dead-lettered | " + deadLetters + " |",
        "| duplicate dead letters | " + duplicateDeadLetters + " |",
        "| missing dead letters | " + missingDeadLetters + " |",
        "| unexpected dead letters | " + unexpectedDeadLetters + " |",
        "| elapsed (s) | " + elapsed.toSeconds() + " |",
        "| drain after last input (s) | " + drain.toSeconds() + " |",
        "| peak resident memory of an instance (MiB, -Xmx1g) | " + peakRssMiB + " |",
        "| peak lag on chat-turns (records, committed vs end offsets) | " + peakLag + " |",
        "| verdict | " + (exactlyOnce() ? "exactly once" : "FAILED") + " |");
  }
}
