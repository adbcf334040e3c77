package io.queststream.demo.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a chaos run sent, what it did to the processes, and what a read_committed consumer saw at the end: overall,
 * and per fault for the turns sent while that fault was in progress.
 *
 * @param turnsSent good turns sent (every role)
 * @param assistantTurns assistant turns among them: each must have exactly one score
 * @param badRecords bad records sent: each must have exactly one dead letter
 * @param unplannedExits instance exits nobody asked for (each was restarted so the run could go on)
 * @param scored assistant turns with at least one score
 * @param duplicateScores scores beyond the first, summed over turns
 * @param lostScores assistant turns without a score
 * @param unexpectedScores scores for turn ids that were never sent as assistant turns
 * @param deadLetters bad records with at least one dead letter
 * @param duplicateDeadLetters dead letters beyond the first, summed over bad records
 * @param missingDeadLetters bad records without a dead letter
 * @param unexpectedDeadLetters dead letters of records that were not sent as bad
 * @param episodes every fault injected, in order
 * @param rows per fault (and the steady state between faults): turns, lost, duplicated, duplicate and unexpected
 *     dead letters
 * @param elapsed from the first turn sent to the end of the audit
 * @param drain from the last turn sent until every expected output was visible
 * @param peakRssMiB largest resident memory of one streams-app instance (JVM started with -Xmx1g)
 * @param peakLag largest lag (records) of the application's committed offsets behind the end of chat-turns
 */
public record ChaosReport(String profile, int brokers, long turnsSent, int assistantTurns, int badRecords,
    int unplannedExits, int scored, int duplicateScores, int lostScores, int unexpectedScores, int deadLetters,
    int duplicateDeadLetters, int missingDeadLetters, int unexpectedDeadLetters, List<FaultEpisode> episodes,
    List<FaultRow> rows, Duration elapsed, Duration drain, long peakRssMiB, long peakLag) {

  /** Label of turns sent while no fault was in progress. */
  static final String STEADY = "steady";

  /**
   * One fault's line of the table.
   *
   * @param runs how often it was injected
   * @param turns assistant turns sent while it was in progress
   * @param duplicateDeadLetters dead letters beyond the first of the bad records sent while it was in progress
   * @param recoveries per injection, from the fault to the first score of a turn sent at that moment
   * @param aimed injections that had to hit a moment
   * @param hit those that did
   */
  public record FaultRow(String fault, int runs, int turns, int lost, int duplicated, int duplicateDeadLetters,
      int unexpectedDeadLetters, List<Optional<Duration>> recoveries, int aimed, int hit) {

    String recoveryText() {
      if (recoveries.isEmpty()) {
        return "-";
      }
      if (recoveries.stream().anyMatch(Optional::isEmpty)) {
        return "NOT RECOVERED";
      }
      List<Long> ms = recoveries.stream().map(r -> r.orElseThrow().toMillis()).sorted().toList();
      String median = seconds(ms.get(ms.size() / 2));
      return ms.size() == 1 ? median : median + " / " + seconds(ms.get(ms.size() - 1));
    }

    String markdown() {
      return "| " + fault + " | " + runs + " | " + turns + " | " + lost + " | " + duplicated + " | "
          + duplicateDeadLetters + " | " + unexpectedDeadLetters + " | " + recoveryText() + " | "
          + (aimed == 0 ? "-" : hit + " of " + aimed) + " |";
    }
  }

  static ChaosReport of(ChaosSettings settings, long turnsSent, Set<String> assistant, Set<String> bad,
      Map<String, String> phaseOfTurn, Map<String, String> phaseOfPosition, List<FaultEpisode> episodes,
      int unplannedExits, Map<String, Integer> scores, Map<String, Integer> deadLetters, Duration elapsed,
      Duration drain, long peakRssMiB, long peakLag) {
    Map<String, Integer> unexpected = deadLetters.entrySet().stream().filter(e -> !bad.contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    List<FaultRow> rows = new ArrayList<>();
    for (Fault fault : settings.faults()) {
      List<FaultEpisode> of = episodes.stream().filter(e -> e.fault() == fault).toList();
      Set<String> phases = of.stream().map(FaultEpisode::phase).collect(Collectors.toSet());
      rows.add(row(fault.tag(), of, phases::contains, phaseOfTurn, phaseOfPosition, scores, bad, deadLetters,
          unexpected));
    }
    rows.add(row(STEADY, List.of(), STEADY::equals, phaseOfTurn, phaseOfPosition, scores, bad, deadLetters,
        unexpected));
    return new ChaosReport(settings.profile(), settings.brokers(), turnsSent, assistant.size(), bad.size(),
        unplannedExits, (int) assistant.stream().filter(scores::containsKey).count(), extra(scores),
        (int) assistant.stream().filter(t -> !scores.containsKey(t)).count(),
        (int) scores.keySet().stream().filter(t -> !assistant.contains(t)).count(),
        (int) bad.stream().filter(deadLetters::containsKey).count(),
        bad.stream().filter(deadLetters::containsKey).mapToInt(p -> deadLetters.get(p) - 1).sum(),
        (int) bad.stream().filter(p -> !deadLetters.containsKey(p)).count(),
        unexpected.values().stream().mapToInt(Integer::intValue).sum(), List.copyOf(episodes), rows, elapsed, drain,
        peakRssMiB, peakLag);
  }

  private static FaultRow row(String name, List<FaultEpisode> episodes, Predicate<String> inPhase,
      Map<String, String> phaseOfTurn, Map<String, String> phaseOfPosition, Map<String, Integer> scores,
      Set<String> bad, Map<String, Integer> deadLetters, Map<String, Integer> unexpected) {
    List<String> turns = phaseOfTurn.entrySet().stream().filter(e -> inPhase.test(e.getValue()))
        .map(Map.Entry::getKey).toList();
    int lost = (int) turns.stream().filter(t -> !scores.containsKey(t)).count();
    int duplicated = turns.stream().filter(scores::containsKey).mapToInt(t -> scores.get(t) - 1).sum();
    int duplicateDeadLetters = bad.stream().filter(p -> inPhase.test(phaseOfPosition.getOrDefault(p, STEADY)))
        .filter(deadLetters::containsKey).mapToInt(p -> deadLetters.get(p) - 1).sum();
    int strays = unexpected.entrySet().stream().filter(e -> inPhase.test(phaseOfDeadLetter(e.getKey(), phaseOfTurn,
        phaseOfPosition))).mapToInt(Map.Entry::getValue).sum();
    return new FaultRow(name, episodes.size(), turns.size(), lost, duplicated, duplicateDeadLetters, strays,
        episodes.stream().map(FaultEpisode::recovery).toList(), (int) episodes.stream().filter(FaultEpisode::aimed)
        .count(), (int) episodes.stream().filter(e -> e.aimed() && e.hit()).count());
  }

  private static String phaseOfDeadLetter(String key, Map<String, String> phaseOfTurn,
      Map<String, String> phaseOfPosition) {
    String phase = key.startsWith(OutcomeAudit.TURN_KEY) ? phaseOfTurn.get(key.substring(OutcomeAudit.TURN_KEY
        .length())) : phaseOfPosition.get(key);
    return phase == null ? STEADY : phase;
  }

  private static int extra(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(c -> c - 1).sum();
  }

  /** Aimed faults that never hit their moment. */
  public int aimedMisses() {
    return (int) episodes.stream().filter(e -> e.aimed() && !e.hit()).count();
  }

  /** Injections after which a turn sent at that moment was never scored. */
  public int unrecovered() {
    return (int) episodes.stream().filter(e -> e.recovery().isEmpty()).count();
  }

  /** Zero lost, duplicated or unexpected on both sides, no unplanned exit, every aimed fault on its moment. */
  public boolean passed() {
    return duplicateScores == 0 && lostScores == 0 && unexpectedScores == 0 && duplicateDeadLetters == 0
        && missingDeadLetters == 0 && unexpectedDeadLetters == 0 && unplannedExits == 0 && aimedMisses() == 0
        && unrecovered() == 0;
  }

  /** The per-fault table (docs/reliability.md prints it as is). */
  public String faultTable() {
    List<String> lines = new ArrayList<>(List.of(
        "| fault | runs | assistant turns | lost | duplicated | duplicate dead letters | unexpected dead letters "
            + "| recovery (s, median / max) | aimed moment hit |",
        "|---|---|---|---|---|---|---|---|---|"));
    rows.forEach(r -> lines.add(r.markdown()));
    return String.join("\n", lines);
  }

  public String table() {
    return String.join("\n",
        "| measure | count |",
        "|---|---|",
        "| profile, brokers | " + profile + ", " + brokers + " |",
        "| faults injected | " + episodes.size() + " |",
        "| turns sent (all roles) | " + turnsSent + " |",
        "| assistant turns sent | " + assistantTurns + " |",
        "| bad records sent | " + badRecords + " |",
        "| unplanned instance exits | " + unplannedExits + " |",
        "| aimed faults that missed their moment | " + aimedMisses() + " |",
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
        "| verdict | " + (passed() ? "exactly once, every fault recovered" : "FAILED") + " |");
  }

  /** One line per injection, for the run's log. */
  public String episodeLog() {
    return episodes.stream().map(e -> String.format(Locale.ROOT, "%-22s recovery %s%s: %s", e.phase(),
        e.recovery().map(r -> seconds(r.toMillis()) + " s").orElse("NONE"),
        e.aimed() ? (e.hit() ? ", aimed moment hit (attempt " + e.attempts() + ")" : ", AIMED MOMENT MISSED") : "",
        e.note())).collect(Collectors.joining("\n"));
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f", ms / 1000.0);
  }
}
