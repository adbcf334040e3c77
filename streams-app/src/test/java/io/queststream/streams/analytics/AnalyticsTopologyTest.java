package io.queststream.streams.analytics;

import io.queststream.streams.analytics.observation.Dimension;
import static io.queststream.streams.support.Scores.CONSISTENCY;
import static io.queststream.streams.support.Scores.CREATIVITY;
import static io.queststream.streams.support.Scores.pair;
import static io.queststream.streams.support.Scores.ranking;
import static io.queststream.streams.support.Scores.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.model.ratings.EloFromPreferences;
import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.MetricSummary;
import io.queststream.schemas.PolicyRating;
import io.queststream.schemas.PolicyRatings;
import io.queststream.schemas.ScorePosition;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.analytics.ratings.PreferenceDecoder.SkipReason;
import io.queststream.streams.errors.DeadLetterKind;
import io.queststream.streams.support.AnalyticsHarness;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class AnalyticsTopologyTest {

  /** t(0.975, 2): the two-sided 95% quantile of Student's t with 2 degrees of freedom (tables). */
  private static final double T_975_2 = 4.302652729911275;
  private static final long W0 = AnalyticsHarness.START.toEpochMilli();
  private static final long FIVE_MINUTES = 300_000;

  @Test
  void leaderboardsCountScoresAndModerationEventsPerPolicyModelAndCharacterInEachWindow() {
    try (AnalyticsHarness h = new AnalyticsHarness(Map.of())) {
      // given three scores of model m-a and one of org/m-b for the innkeeper in the first five minutes, one of them
      // moderated, and one score of m-a for the pirate in the next window
      TurnScore a1 = score("a1", "m-a", "innkeeper", 1, 8, 5, 1);
      h.score(a1, 1_000);
      h.moderate(a1, 1_000);
      h.score(score("a2", "m-a", "innkeeper", 2, 6, 5, 1), 2_000);
      h.score(score("a3", "m-a", "innkeeper", 4, 7, 5, 2), 3_000);
      h.score(score("b1", "org/m-b", "innkeeper", 3, 5, 5, 1), 4_000);
      h.score(score("a4", "m-a", "pirate", 5, 9, 5, 2), FIVE_MINUTES + 1_000);

      // when
      Map<String, LeaderboardEntry> latest = h.latestEntries();

      // then one entry per dimension key and window
      assertThat(latest.keySet()).containsExactlyInAnyOrder(
          "policy_model/m-a/" + W0, "character_id/innkeeper/" + W0, "policy_model/org/m-b/" + W0,
          "policy_model/m-a/" + (W0 + FIVE_MINUTES), "character_id/pirate/" + (W0 + FIVE_MINUTES));

      // and m-a's first window: scores 1, 2, 4 (mean 7/3, variance 7/3), consistency 8, 6, 7 (mean 7, variance 1)
      LeaderboardEntry ma = latest.get("policy_model/m-a/" + W0);
      assertThat(ma.getDimension()).isEqualTo("policy_model");
      assertThat(ma.getKey()).isEqualTo("m-a");
      assertThat(ma.getWindowStart()).isEqualTo(Instant.ofEpochMilli(W0));
      assertThat(ma.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(W0 + FIVE_MINUTES));
      assertThat(ma.getCount()).isEqualTo(3);
      assertThat(ma.getModerated()).isEqualTo(1);
      assertThat(ma.getModerationRate()).isEqualTo(1.0 / 3);
      assertThat(ma.getConfidenceLevel()).isEqualTo(0.95);
      assertSummary(ma.getScore(), "score", 3, 7.0 / 3, 7.0 / 3);
      assertThat(ma.getAttributes()).extracting(MetricSummary::getMetric).containsExactly(CONSISTENCY, CREATIVITY);
      assertSummary(ma.getAttributes().get(0), CONSISTENCY, 3, 7, 1);
      assertSummary(ma.getAttributes().get(1), CREATIVITY, 3, 5, 0);
      assertThat(ma.getWeightsVersions()).containsExactly(1L, 2L);

      // and the innkeeper's window holds both models' scores
      LeaderboardEntry inn = latest.get("character_id/innkeeper/" + W0);
      assertThat(inn.getCount()).isEqualTo(4);
      assertThat(inn.getModerated()).isEqualTo(1);
      assertThat(inn.getScore().getMean()).isEqualTo(2.5);

      // and a single score has a mean but no spread to build an interval from
      LeaderboardEntry mb = latest.get("policy_model/org/m-b/" + W0);
      assertThat(mb.getKey()).isEqualTo("org/m-b");
      assertThat(mb.getCount()).isEqualTo(1);
      assertThat(mb.getModerationRate()).isEqualTo(0.0);
      assertThat(mb.getScore().getMean()).isEqualTo(3.0);
      assertThat(mb.getScore().getStdDev()).isNull();
      assertThat(mb.getScore().getCiLow()).isNull();
      assertThat(mb.getScore().getCiHigh()).isNull();
      assertThat(latest.get("policy_model/m-a/" + (W0 + FIVE_MINUTES)).getCount()).isEqualTo(1);
    }
  }

  private static void assertSummary(MetricSummary s, String metric, long n, double mean, double variance) {
    assertThat(s.getMetric()).isEqualTo(metric);
    assertThat(s.getCount()).isEqualTo(n);
    assertThat(s.getMean()).isCloseTo(mean, within(1e-12));
    assertThat(s.getStdDev()).isCloseTo(Math.sqrt(variance), within(1e-12));
    double half = T_975_2 * Math.sqrt(variance / n);
    assertThat(s.getCiLow()).isCloseTo(mean - half, within(1e-9));
    assertThat(s.getCiHigh()).isCloseTo(mean + half, within(1e-9));
  }

  @Test
  void aScoreWithoutACharacterCountsOnlyForItsPolicyModel() {
    try (AnalyticsHarness h = new AnalyticsHarness(Map.of())) {
      // given
      h.score(score("a1", "m-a", null, 1, 8, 5, 1), 1_000);
      h.score(score("a2", " ", "innkeeper", 1, 8, 5, 1), 2_000);

      // when
      Map<String, LeaderboardEntry> latest = h.latestEntries();

      // then
      assertThat(latest.keySet()).containsExactlyInAnyOrder("policy_model/m-a/" + W0, "character_id/innkeeper/" + W0);
    }
  }

  @Test
  void aDropInOneCharactersConsistencyRaisesExactlyOneAlertPerDimensionWithTheShiftAndItsWindow() {
    try (AnalyticsHarness h = new AnalyticsHarness(Map.of("analytics.drift.delta", "0.5",
        "analytics.drift.threshold", "10", "analytics.drift.min-observations", "5"))) {
      // given ten turns at consistency 8, then the innkeeper's replies drop to 2; creativity stays at 5
      for (int i = 1; i <= 10; i++) {
        h.score(score("t" + i, "m-a", "innkeeper", 1, 8, 5, 1), i * 1_000L);
      }
      for (int i = 11; i <= 25; i++) {
        h.score(score("t" + i, "m-a", "innkeeper", 1, 2, 5, 1), i * 1_000L);
      }

      // when
      List<KeyValue<String, DriftAlert>> alerts = h.alerts.readKeyValuesToList();

      // then L_t grows by delta to 5 at t10, then falls by 2 − x̄_t + δ at t11, t12, t13 (x̄ = 82/11, 7, 86/13):
      // the statistic is 5 − L_13 = −(those three terms), above 10 only at t13
      double statistic = -((2 - 82.0 / 11 + 0.5) + (2 - 84.0 / 12 + 0.5) + (2 - 86.0 / 13 + 0.5));
      assertThat(alerts).extracting(kv -> kv.key).containsExactly("policy_model/m-a", "character_id/innkeeper");
      DriftAlert a = alerts.get(1).value;
      assertThat(a.getAlertId()).isEqualTo("character_id/innkeeper/" + CONSISTENCY + "/t13");
      assertThat(a.getDimension()).isEqualTo("character_id");
      assertThat(a.getKey()).isEqualTo("innkeeper");
      assertThat(a.getAttribute()).isEqualTo(CONSISTENCY);
      assertThat(a.getDirection()).isEqualTo("drop");
      assertThat(a.getMeanBefore()).isEqualTo(8.0);
      assertThat(a.getMeanAfter()).isEqualTo(2.0);
      assertThat(a.getShift()).isEqualTo(-6.0);
      assertThat(a.getObservationsBefore()).isEqualTo(10);
      assertThat(a.getObservationsAfter()).isEqualTo(3);
      assertThat(a.getDetector()).isEqualTo("page-hinkley");
      assertThat(a.getStatistic()).isCloseTo(statistic, within(1e-9));
      assertThat(a.getThreshold()).isEqualTo(10.0);
      assertThat(a.getDelta()).isEqualTo(0.5);
      assertThat(a.getMonitoringStart()).isEqualTo(position("t1", 0, 1_000));
      assertThat(a.getChangeStart()).isEqualTo(position("t11", 10, 11_000));
      assertThat(a.getDetection()).isEqualTo(position("t13", 12, 13_000));
      assertThat(alerts.get(0).value.getStatistic()).isEqualTo(a.getStatistic());
      assertThat(h.metrics.driftAlerts(Dimension.CHARACTER, CONSISTENCY, "drop")).isEqualTo(1);
      assertThat(h.metrics.driftAlerts(Dimension.POLICY_MODEL, CONSISTENCY, "drop")).isEqualTo(1);
      assertThat(h.metrics.driftAlerts(Dimension.CHARACTER, CREATIVITY, "drop")).isZero();
    }
  }

  private static ScorePosition position(String turnId, long offset, long atMs) {
    return new ScorePosition(turnId, "turn-scores", 0, offset, Instant.ofEpochMilli(W0 + atMs), 1L);
  }

  @Test
  void aScoreWithANonFiniteAttributeIsLeftOutWithoutADeadLetterAndCountsNowhere() {
    try (AnalyticsHarness h = new AnalyticsHarness(Map.of())) {
      // given
      h.score(score("nan", "m-a", "innkeeper", 1, Double.NaN, 5, 1), 1_000);
      h.score(score("ok", "m-a", "innkeeper", 1, 8, 5, 1), 2_000);

      // when
      Map<String, LeaderboardEntry> latest = h.latestEntries();

      // then
      // then: moderation already flags such a turn (non_finite); the analytics neither count nor dead-letter it
      assertThat(latest.get("policy_model/m-a/" + W0).getCount()).isEqualTo(1);
      assertThat(h.appMetrics.deadLetters(DeadLetterKind.PROCESSING)).isZero();
    }
  }

  @Test
  void policyRatingsFitTheWindowsPairsBetweenTurnsOfDifferentModels() {
    try (AnalyticsHarness h = new AnalyticsHarness(Map.of())) {
      // given a pair sent before the scores of its turns, turns by m-a, m-b and m-c, a ranking of three, a pair
      // within one model, a pair naming a turn never scored and a pair of a turn with itself
      h.prefer(pair("p1", "a1", "b1", 2f), 500);
      h.score(score("a1", "m-a", "innkeeper", 1, 8, 5, 1), 1_000);
      h.score(score("b1", "m-b", "innkeeper", 1, 8, 5, 1), 2_000);
      h.score(score("a2", "m-a", "innkeeper", 1, 8, 5, 1), 3_000);
      h.score(score("c1", "m-c", "innkeeper", 1, 8, 5, 1), 4_000);
      h.prefer(ranking("r1", "c1", "a2", "b1"), 5_000);
      h.prefer(pair("p2", "a2", "a1", 1f), 6_000);
      h.prefer(pair("p3", "b1", "never-scored", 1f), 7_000);
      h.prefer(pair("p4", "c1", "c1", 1f), 8_000);

      // when
      Map<String, PolicyRatings> latest = h.latestRatings();

      // then four pairs count: a over b (weight 2), and c over a, c over b, a over b from the ranking
      assertThat(latest.keySet()).containsExactly(Long.toString(W0));
      PolicyRatings r = latest.get(Long.toString(W0));
      assertThat(r.getPairs()).isEqualTo(4);
      Map<String, Double> expected = EloFromPreferences.fit(List.of(
          new EloFromPreferences.Outcome("m-a", "m-b", 3), new EloFromPreferences.Outcome("m-c", "m-a", 1),
          new EloFromPreferences.Outcome("m-c", "m-b", 1)));
      assertThat(r.getRatings()).extracting(PolicyRating::getPolicyModel).containsExactly("m-c", "m-a", "m-b");
      for (PolicyRating rating : r.getRatings()) {
        assertThat(rating.getElo()).isCloseTo(expected.get(rating.getPolicyModel()), within(1e-9));
      }
      assertThat(r.getRatings()).extracting(PolicyRating::getWins).containsExactly(2.0, 3.0, 0.0);
      assertThat(r.getRatings()).extracting(PolicyRating::getLosses).containsExactly(0.0, 1.0, 4.0);
      assertThat(h.registry.get("quest.analytics.preferences.skipped").tag("reason", "same_turn_twice").counter()
          .count()).isEqualTo(1);
    }
  }

  @Test
  void preferenceRecordsThatCannotCountAreSkippedByReasonAndNotDeadLettered() {
    try (AnalyticsHarness h = new AnalyticsHarness(Map.of())) {
      // given
      h.rawPreferences.pipeInput("ctx", "{\"chosen\":\"a\"}".getBytes(StandardCharsets.UTF_8));
      h.prefer(pair("p-nan", "a1", "b1", Float.NaN), 1_000);
      h.prefer(pair("p-negative", "a1", "b1", -1f), 1_000);
      h.prefer(ranking("r-short", "a1"), 1_000);
      h.prefer(ranking("r-twice", "a1", "b1", "a1"), 1_000);

      // then
      assertThat(skipped(h, SkipReason.UNDECODABLE)).isEqualTo(1);
      assertThat(skipped(h, SkipReason.INVALID_WEIGHT)).isEqualTo(2);
      assertThat(skipped(h, SkipReason.SHORT_RANKING)).isEqualTo(1);
      assertThat(skipped(h, SkipReason.SAME_TURN_TWICE)).isEqualTo(1);
      assertThat(h.deadLetters.isEmpty()).isTrue();
      assertThat(h.ratings.isEmpty()).isTrue();
    }
  }

  private static double skipped(AnalyticsHarness h, SkipReason reason) {
    return h.registry.get("quest.analytics.preferences.skipped")
        .tag("reason", reason.name().toLowerCase(Locale.ROOT)).counter().count();
  }
}
