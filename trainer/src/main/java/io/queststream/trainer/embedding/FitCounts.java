package io.queststream.trainer.embedding;

import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.Truncation;
import io.queststream.model.api.UnscorableTurnException;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What fitting a backbone's window does to a set of turns, from the tokenizer alone (no model run): how many turns
 * carry each truncation flag, how many fit untouched, how many windows the longest reply needs, and which turns
 * cannot be read at all, by cause. Length never makes a turn unscorable; this says what it costs instead.
 */
public final class FitCounts {

  /** The tokenizer's half of a scorer: {@code scorer::prepare}. */
  @FunctionalInterface
  public interface Preparer {
    PreparedTurn prepare(ScoringRequest request) throws UnscorableTurnException;
  }

  private final Map<Truncation, Integer> flags = new EnumMap<>(Truncation.class);
  private final Map<String, Integer> unscorable = new TreeMap<>();
  private int turns;
  private int untouched;
  private int maxWindows;

  public void add(Preparer preparer, ScoringRequest request) {
    turns++;
    PreparedTurn p;
    try {
      p = preparer.prepare(request);
    } catch (UnscorableTurnException e) {
      unscorable.merge(e.reason().name(), 1, Integer::sum);
      return;
    }
    if (p.truncation().isEmpty()) {
      untouched++;
    }
    p.truncation().forEach(f -> flags.merge(f, 1, Integer::sum));
    maxWindows = Math.max(maxWindows, p.windows().size());
  }

  public int turns() {
    return turns;
  }

  public int untouched() {
    return untouched;
  }

  /** Turns carrying the flag (a turn can carry several). */
  public int flagged(Truncation flag) {
    return flags.getOrDefault(flag, 0);
  }

  public Map<String, Integer> unscorable() {
    return Map.copyOf(unscorable);
  }

  public int maxWindows() {
    return maxWindows;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder().append(turns).append(" turns: ").append(untouched).append(" untouched");
    for (Truncation f : Truncation.values()) {
      s.append(", ").append(flagged(f)).append(' ').append(f);
    }
    s.append("; longest reply read in ").append(maxWindows).append(" windows; cannot be read: ")
        .append(unscorable.isEmpty() ? "0" : new TreeMap<>(unscorable).toString());
    return s.toString();
  }
}
