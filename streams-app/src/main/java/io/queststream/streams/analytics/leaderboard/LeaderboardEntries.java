package io.queststream.streams.analytics.leaderboard;

import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.MetricSummary;
import io.queststream.streams.analytics.observation.DimensionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.kstream.Window;

/** A window's {@link KeyStats} as the record the leaderboards topic carries. */
public final class LeaderboardEntries {

  static final String SCORE_METRIC = "score";

  private LeaderboardEntries() {}

  public static LeaderboardEntry of(DimensionKey key, Window window, KeyStats stats, double confidenceLevel) {
    List<MetricSummary> attributes = new ArrayList<>();
    for (Map.Entry<String, RunningStats> a : stats.attributes().entrySet()) {
      attributes.add(summary(a.getKey(), a.getValue(), confidenceLevel));
    }
    return LeaderboardEntry.newBuilder()
        .setDimension(key.dimension().tag())
        .setKey(key.key())
        .setWindowStart(Instant.ofEpochMilli(window.start()))
        .setWindowEnd(Instant.ofEpochMilli(window.end()))
        .setCount(stats.count())
        .setModerated(stats.moderated())
        .setModerationRate(stats.count() == 0 ? 0 : (double) stats.moderated() / stats.count())
        .setConfidenceLevel(confidenceLevel)
        .setScore(summary(SCORE_METRIC, stats.score(), confidenceLevel))
        .setAttributes(attributes)
        .setWeightsVersions(stats.weightsVersions())
        .build();
  }

  static MetricSummary summary(String metric, RunningStats stats, double confidenceLevel) {
    StudentTInterval ci = StudentTInterval.of(stats, confidenceLevel);
    return MetricSummary.newBuilder()
        .setMetric(metric)
        .setCount(stats.count())
        .setMean(stats.mean())
        .setStdDev(ci == null ? null : Math.sqrt(stats.sampleVariance()))
        .setCiLow(ci == null ? null : ci.low())
        .setCiHigh(ci == null ? null : ci.high())
        .build();
  }
}
