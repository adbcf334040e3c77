package io.queststream.demo.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.MetricSummary;
import io.queststream.schemas.PolicyRating;
import io.queststream.schemas.PolicyRatings;
import io.queststream.schemas.ScorePosition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderboardTablesTest {

  private static LeaderboardEntry entry(String dimension, String key, long windowStart, long count, double mean) {
    return LeaderboardEntry.newBuilder().setDimension(dimension).setKey(key)
        .setWindowStart(Instant.ofEpochMilli(windowStart)).setWindowEnd(Instant.ofEpochMilli(windowStart + 300_000))
        .setCount(count).setModerated(0).setModerationRate(0).setConfidenceLevel(0.95)
        .setScore(new MetricSummary("score", count, mean, null, null, null)).setAttributes(List.of())
        .setWeightsVersions(List.of(1L)).build();
  }

  @Test
  void keepsTheNewestWindowOfEachDimensionWithTheLatestEntryPerKeyBestScoreFirst() {
    // given
    LeaderboardTables tables = new LeaderboardTables();
    tables.onEntry(entry("policy_model", "m-a", 0, 5, 1.0));
    tables.onEntry(entry("policy_model", "m-a", 300_000, 1, 0.5));
    tables.onEntry(entry("policy_model", "m-b", 300_000, 2, 0.9));
    tables.onEntry(entry("policy_model", "m-a", 300_000, 2, 0.4));
    tables.onEntry(entry("policy_model", "m-c", 0, 9, 3.0));
    tables.onEntry(entry("character_id", "innkeeper", 0, 5, 1.0));

    // then
    assertThat(tables.entries("policy_model")).extracting(LeaderboardEntry::getKey, LeaderboardEntry::getCount)
        .containsExactly(tuple("m-b", 2L), tuple("m-a", 2L));
    assertThat(tables.entries("character_id")).extracting(LeaderboardEntry::getKey).containsExactly("innkeeper");
  }

  @Test
  void eloComesFromTheNewestRatingsWindow() {
    // given
    LeaderboardTables tables = new LeaderboardTables();
    tables.onRatings(new PolicyRatings(Instant.ofEpochMilli(300_000), Instant.ofEpochMilli(600_000), 3L,
        List.of(new PolicyRating("m-a", 1040.0, 3.0, 0.0), new PolicyRating("m-b", 960.0, 0.0, 3.0))));
    tables.onRatings(new PolicyRatings(Instant.ofEpochMilli(0), Instant.ofEpochMilli(300_000), 9L,
        List.of(new PolicyRating("m-a", 900.0, 0.0, 9.0))));

    // then
    assertThat(tables.elo("m-a")).isEqualTo(1040.0);
    assertThat(tables.elo("m-z")).isNull();
    assertThat(tables.ratings().getPairs()).isEqualTo(3);
  }

  private static DriftAlert alert(String key, long detectedAt) {
    ScorePosition at = new ScorePosition("t-" + key, "turn-scores", 0, 0L, Instant.ofEpochMilli(detectedAt), 1L);
    return DriftAlert.newBuilder().setAlertId(key).setDimension("character_id").setKey(key).setAttribute("CC")
        .setDirection("drop").setMeanBefore(8).setMeanAfter(2).setShift(-6).setObservationsBefore(30)
        .setObservationsAfter(3).setStatistic(60).setThreshold(50).setDelta(0.5).setMonitoringStart(at)
        .setChangeStart(at).setDetection(at).build();
  }

  @Test
  void alertsAreShownLatestDetectionFirstWhateverOrderTheyArrivedIn() {
    // given alerts from two partitions, read one partition after the other
    LeaderboardTables tables = new LeaderboardTables();
    tables.onAlert(alert("a", 1_000));
    tables.onAlert(alert("c", 3_000));
    tables.onAlert(alert("b", 2_000));

    // then
    assertThat(tables.alerts()).extracting(DriftAlert::getKey).containsExactly("c", "b", "a");
  }
}
