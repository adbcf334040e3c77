package io.queststream.trainer.imports;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import could not use, by source and cause, with the first place each cause was seen: nothing is dropped
 * without being counted. "Malformed" means the input breaks the data set's format; "unusable" means it is well formed
 * but cannot serve as training data (a pair preferring an answer over itself, a turn its judge never scored).
 */
public final class ImportIssues {

  /** Count and first occurrence of one cause. */
  public record Tally(int count, String firstSeen) {}

  private final Map<String, Tally> malformed = new TreeMap<>();
  private final Map<String, Tally> unusable = new TreeMap<>();

  public void malformed(String source, String cause, String where) {
    add(malformed, source, cause, where);
  }

  public void unusable(String source, String cause, String where) {
    add(unusable, source, cause, where);
  }

  private static void add(Map<String, Tally> m, String source, String cause, String where) {
    m.merge(source + ": " + cause, new Tally(1, where), (a, b) -> new Tally(a.count() + 1, a.firstSeen()));
  }

  /** "source: cause" → tally. */
  public Map<String, Tally> malformed() {
    return new LinkedHashMap<>(malformed);
  }

  public Map<String, Tally> unusable() {
    return new LinkedHashMap<>(unusable);
  }

  public int malformedCount() {
    return malformed.values().stream().mapToInt(Tally::count).sum();
  }

  public int unusableCount() {
    return unusable.values().stream().mapToInt(Tally::count).sum();
  }
}
