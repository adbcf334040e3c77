package io.queststream.streams.analytics.ratings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The preferences of one window between turns of different policy models: the summed weight each model won against
 * each other, and how many pairs that was. Enough for the Bradley-Terry fit, which only needs those sums.
 */
public record WinTable(long pairs, Map<String, Map<String, Double>> wins) {

  public static WinTable empty() {
    return new WinTable(0, Map.of());
  }

  public WinTable add(TurnPair p) {
    Map<String, Map<String, Double>> next = new LinkedHashMap<>(wins);
    Map<String, Double> row = new LinkedHashMap<>(next.getOrDefault(p.chosenModel(), Map.of()));
    row.merge(p.rejectedModel(), p.weight(), Double::sum);
    next.put(p.chosenModel(), row);
    return new WinTable(pairs + 1, next);
  }
}
