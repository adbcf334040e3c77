package io.queststream.demo.leaderboard;

import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.MetricSummary;
import io.queststream.schemas.PolicyRating;
import io.queststream.schemas.PolicyRatings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current leaderboards, folded from the analytics topics as their records arrive: per dimension the newest
 * window's latest entry per key, the newest window's policy ratings, and the most recent drift alerts. Synchronized:
 * one consumer thread writes, readers take snapshots.
 */
public final class LeaderboardTables {

  public static final List<String> DIMENSIONS = List.of("policy_model", "character_id");
  private static final int ALERT_FEED = 50;

  private final Map<String, Long> newestWindow = new TreeMap<>();
  private final Map<String, Map<String, LeaderboardEntry>> rows = new TreeMap<>();
  private final Deque<DriftAlert> alerts = new ArrayDeque<>();
  private PolicyRatings ratings;
  private long alertCount;

  public synchronized void onEntry(LeaderboardEntry e) {
    long start = e.getWindowStart().toEpochMilli();
    Long newest = newestWindow.get(e.getDimension());
    if (newest != null && start < newest) {
      return;
    }
    if (newest == null || start > newest) {
      newestWindow.put(e.getDimension(), start);
      rows.put(e.getDimension(), new TreeMap<>());
    }
    rows.get(e.getDimension()).put(e.getKey(), e);
  }

  public synchronized void onRatings(PolicyRatings r) {
    if (ratings == null || !r.getWindowStart().isBefore(ratings.getWindowStart())) {
      ratings = r;
    }
  }

  public synchronized void onAlert(DriftAlert a) {
    alertCount++;
    alerts.addFirst(a);
    while (alerts.size() > ALERT_FEED) {
      alerts.removeLast();
    }
  }

  /** The newest window's entries of a dimension, highest mean preference score first. */
  public synchronized List<LeaderboardEntry> entries(String dimension) {
    List<LeaderboardEntry> list = new ArrayList<>(rows.getOrDefault(dimension, Map.of()).values());
    list.sort(Comparator.comparingDouble((LeaderboardEntry e) -> e.getScore().getMean()).reversed()
        .thenComparing(LeaderboardEntry::getKey));
    return list;
  }

  public synchronized PolicyRatings ratings() {
    return ratings;
  }

  /** The Elo of a policy model in the newest ratings window, or null. */
  public synchronized Double elo(String policyModel) {
    if (ratings == null) {
      return null;
    }
    return ratings.getRatings().stream().filter(r -> r.getPolicyModel().equals(policyModel))
        .map(PolicyRating::getElo).findFirst().orElse(null);
  }

  /** The most recent alerts, latest detection first. */
  public synchronized List<DriftAlert> alerts() {
    List<DriftAlert> list = new ArrayList<>(alerts);
    list.sort(Comparator.comparing((DriftAlert a) -> a.getDetection().getTimestamp()).reversed());
    return list;
  }

  /** Everything as plain maps and lists, for the dashboard's JSON. */
  public synchronized Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> boards = new LinkedHashMap<>();
    for (String dimension : DIMENSIONS) {
      List<LeaderboardEntry> entries = entries(dimension);
      Map<String, Object> board = new LinkedHashMap<>();
      board.put("windowStart", entries.isEmpty() ? null : entries.get(0).getWindowStart().toString());
      board.put("windowEnd", entries.isEmpty() ? null : entries.get(0).getWindowEnd().toString());
      board.put("rows", entries.stream().map(e -> row(dimension, e)).toList());
      boards.put(dimension, board);
    }
    out.put("leaderboards", boards);
    Map<String, Object> r = new LinkedHashMap<>();
    if (ratings != null) {
      r.put("windowStart", ratings.getWindowStart().toString());
      r.put("pairs", ratings.getPairs());
      r.put("rows", ratings.getRatings().stream().map(x -> Map.of("policyModel", x.getPolicyModel(),
          "elo", x.getElo(), "wins", x.getWins(), "losses", x.getLosses())).toList());
    }
    out.put("ratings", r);
    out.put("alertCount", alertCount);
    out.put("alerts", alerts().stream().map(LeaderboardTables::alert).toList());
    return out;
  }

  private Map<String, Object> row(String dimension, LeaderboardEntry e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", e.getKey());
    row.put("count", e.getCount());
    row.put("moderationRate", e.getModerationRate());
    row.put("score", summary(e.getScore()));
    row.put("attributes", e.getAttributes().stream().map(LeaderboardTables::summary).toList());
    row.put("weightsVersions", e.getWeightsVersions());
    if (dimension.equals("policy_model")) {
      row.put("elo", elo(e.getKey()));
    }
    return row;
  }

  private static Map<String, Object> summary(MetricSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metric", s.getMetric());
    m.put("mean", s.getMean());
    m.put("ciLow", s.getCiLow());
    m.put("ciHigh", s.getCiHigh());
    return m;
  }

  private static Map<String, Object> alert(DriftAlert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alertId", a.getAlertId());
    m.put("dimension", a.getDimension());
    m.put("key", a.getKey());
    m.put("attribute", a.getAttribute());
    m.put("direction", a.getDirection());
    m.put("meanBefore", a.getMeanBefore());
    m.put("meanAfter", a.getMeanAfter());
    m.put("observationsBefore", a.getObservationsBefore());
    m.put("observationsAfter", a.getObservationsAfter());
    m.put("statistic", a.getStatistic());
    m.put("threshold", a.getThreshold());
    m.put("changeStartTurn", a.getChangeStart().getTurnId());
    m.put("changeStartAt", a.getChangeStart().getTimestamp().toString());
    m.put("detectedTurn", a.getDetection().getTurnId());
    m.put("detectedAt", a.getDetection().getTimestamp().toString());
    m.put("weightsVersions",
        List.of(a.getMonitoringStart().getWeightsVersion(), a.getDetection().getWeightsVersion()));
    return m;
  }
}
