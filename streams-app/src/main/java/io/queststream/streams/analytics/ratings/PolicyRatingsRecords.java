package io.queststream.streams.analytics.ratings;

import io.queststream.model.ratings.EloFromPreferences;
import io.queststream.schemas.PolicyRating;
import io.queststream.schemas.PolicyRatings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.kstream.Window;

/** A window's {@link WinTable}, fitted to Elo-scale ratings, as the record the policy ratings topic carries. */
public final class PolicyRatingsRecords {

  private PolicyRatingsRecords() {}

  public static PolicyRatings of(Window window, WinTable table) {
    List<EloFromPreferences.Outcome> outcomes = new ArrayList<>();
    Map<String, Double> won = new HashMap<>();
    Map<String, Double> lost = new HashMap<>();
    table.wins().forEach((winner, row) -> row.forEach((loser, weight) -> {
      outcomes.add(new EloFromPreferences.Outcome(winner, loser, weight));
      won.merge(winner, weight, Double::sum);
      lost.merge(loser, weight, Double::sum);
    }));
    Map<String, Double> elo = EloFromPreferences.fit(outcomes);
    List<PolicyRating> ratings = elo.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry::getKey))
        .map(e -> new PolicyRating(e.getKey(), e.getValue(), won.getOrDefault(e.getKey(), 0.0),
            lost.getOrDefault(e.getKey(), 0.0)))
        .toList();
    return PolicyRatings.newBuilder()
        .setWindowStart(Instant.ofEpochMilli(window.start()))
        .setWindowEnd(Instant.ofEpochMilli(window.end()))
        .setPairs(table.pairs())
        .setRatings(ratings)
        .build();
  }
}
