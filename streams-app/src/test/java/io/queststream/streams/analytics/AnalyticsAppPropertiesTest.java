package io.queststream.streams.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.queststream.streams.config.AppConfig;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class AnalyticsAppPropertiesTest {

  @Test
  void givenScoringThreadsAndCommitInterval_thenTheAnalyticsKeepTheirOwn() {
    AppConfig config = AppConfig.from(Map.of("application.id", "rp-scoring", "num.stream.threads", "4",
        "commit.interval.ms", "100", "analytics.stream-threads", "2", "analytics.commit-interval-ms", "1500"));

    Map<String, Object> scoring = config.streamsProperties();
    Map<String, Object> analytics = AnalyticsApp.streamsProperties(config);

    assertThat(scoring).contains(entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "4"),
        entry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"), entry(StreamsConfig.POLL_MS_CONFIG, "10"));
    assertThat(analytics).contains(entry(StreamsConfig.APPLICATION_ID_CONFIG, "rp-scoring-analytics"),
        entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2), entry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1500L),
        entry(StreamsConfig.POLL_MS_CONFIG, 100L),
        entry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2));
  }

  @Test
  void byDefault_theAnalyticsRunOneThreadAndCommitEverySecond() {
    Map<String, Object> analytics = AnalyticsApp.streamsProperties(AppConfig.defaults());

    assertThat(analytics).contains(entry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1),
        entry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000L));
  }
}
