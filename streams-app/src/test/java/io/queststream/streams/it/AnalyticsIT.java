package io.queststream.streams.it;

import static io.queststream.streams.support.Scores.CONSISTENCY;
import static io.queststream.streams.support.Scores.pair;
import static io.queststream.streams.support.Scores.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.ModerationEvent;
import io.queststream.schemas.PolicyRatings;
import io.queststream.schemas.PreferencePair;
import io.queststream.schemas.TurnScore;
import io.queststream.schemas.deadletters.DeadLetterLimit;
import io.queststream.streams.analytics.AnalyticsApp;
import io.queststream.streams.analytics.observation.AnalyticsMetrics;
import io.queststream.streams.analytics.observation.Dimension;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.Pipeline;
import io.queststream.streams.support.Scores;
import io.queststream.streams.support.TopicView;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * The analytics app on a real broker and registry, fed by the test's own producer as the scoring app and the
 * platform would write: exact leaderboard counts and ratings, exactly the drift alerts the data implies, and
 * detectors that resume from their changelog after a restart on empty local state.
 */
@RealKafka
@RealSchemaRegistry
class AnalyticsIT {

  private static final long WINDOW_MS = 600_000;

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  /** Start of the last whole window before now: every record below lies in it and in the past. */
  private static long previousWindowStart() {
    return (System.currentTimeMillis() / WINDOW_MS - 1) * WINDOW_MS;
  }

  private static Pipeline pipeline(Map<String, String> drift) throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of("analytics.enabled", "true",
        "analytics.window-size-ms", Long.toString(WINDOW_MS), "commit.interval.ms", "100",
        "analytics.commit-interval-ms", "100"));
    settings.putAll(drift);
    return new Pipeline(broker, registry, settings);
  }

  private static AnalyticsApp start(Pipeline p, String stateDir) {
    return start(p, stateDir, ScoringMetrics.standalone());
  }

  private static AnalyticsApp start(Pipeline p, String stateDir, ScoringMetrics metrics) {
    AppConfig config = p.configWith("state.dir", stateDir);
    AnalyticsApp app = new AnalyticsApp(config, metrics, config.clientProperties(), config.clientProperties(),
        e -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT, () -> { }, DeadLetterLimit.KAFKA_DEFAULT);
    app.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
    return app;
  }

  @Test
  void leaderboardCountsAndRatingsEqualWhatWasSentInTheWindow() throws Exception {
    Pipeline p = pipeline(Map.of());
    long w = previousWindowStart();
    try (KafkaProducer<String, TurnScore> scores = p.producer(TurnScore.class);
        KafkaProducer<String, ModerationEvent> moderation = p.producer(ModerationEvent.class);
        KafkaProducer<String, PreferencePair> preferences = p.producer(PreferencePair.class);
        AnalyticsApp app = start(p, Files.createTempDirectory("analytics-it").toString());
        TopicView<LeaderboardEntry> leaderboards =
            new TopicView<>(p.config.clientProperties(), p.config.topics().leaderboards(), LeaderboardEntry.class);
        TopicView<PolicyRatings> ratings =
            new TopicView<>(p.config.clientProperties(), p.config.topics().policyRatings(), PolicyRatings.class)) {
      // given 30 scores of m-a and 12 of m-b, spread over three characters, scores 0..29 and 0..11; every third
      // turn of m-a moderated; and 5 pairs where m-a's turn wins and 2 where m-b's does
      for (int i = 0; i < 42; i++) {
        boolean a = i < 30;
        int n = a ? i : i - 30;
        TurnScore s = score((a ? "a" : "b") + n, a ? "m-a" : "m-b", "char-" + (i % 3), n, 5, 5, 1);
        scores.send(new ProducerRecord<>(p.config.topics().turnScores(), null, w + 1_000 + i * 100L,
            s.getConversationId(), s));
        if (a && n % 3 == 0) {
          moderation.send(new ProducerRecord<>(p.config.topics().moderationEvents(), null, w + 1_000 + i * 100L,
              s.getConversationId(), Scores.moderation(s)));
        }
      }
      for (int i = 0; i < 7; i++) {
        PreferencePair pref = i < 5 ? pair("p" + i, "a" + i, "b" + i, 1f) : pair("p" + i, "b" + i, "a" + i, 1f);
        preferences.send(new ProducerRecord<>(p.config.topics().turnPreferences(), null, w + 10_000 + i * 100L,
            pref.getContextId(), pref));
      }
      scores.flush();
      moderation.flush();
      preferences.flush();

      // when
      Map<String, LeaderboardEntry> latest = leaderboards.awaitLatest(
          l -> l.size() == 5 && l.values().stream().mapToLong(LeaderboardEntry::getCount).sum() == 84
              && l.values().stream().mapToLong(LeaderboardEntry::getModerated).sum() == 20,
          Duration.ofSeconds(60), Duration.ofSeconds(2));
      Map<String, PolicyRatings> table = ratings.awaitLatest(r -> r.values().stream().anyMatch(x -> x.getPairs() == 7),
          Duration.ofSeconds(60), Duration.ofSeconds(2));

      // then every key of the window, with exactly the scores sent
      assertThat(latest.keySet()).containsExactlyInAnyOrder("policy_model/m-a/" + w, "policy_model/m-b/" + w,
          "character_id/char-0/" + w, "character_id/char-1/" + w, "character_id/char-2/" + w);
      LeaderboardEntry ma = latest.get("policy_model/m-a/" + w);
      assertThat(ma.getCount()).isEqualTo(30);
      assertThat(ma.getModerated()).isEqualTo(10);
      assertThat(ma.getScore().getMean()).isCloseTo(14.5, within(1e-9));
      LeaderboardEntry mb = latest.get("policy_model/m-b/" + w);
      assertThat(mb.getCount()).isEqualTo(12);
      assertThat(mb.getModerated()).isZero();
      assertThat(mb.getScore().getMean()).isCloseTo(5.5, within(1e-9));
      assertThat(latest.get("character_id/char-0/" + w).getCount()).isEqualTo(14);
      assertThat(latest.get("character_id/char-1/" + w).getCount()).isEqualTo(14);
      assertThat(latest.get("character_id/char-2/" + w).getCount()).isEqualTo(14);
      assertThat(latest.get("character_id/char-0/" + w).getModerated()
          + latest.get("character_id/char-1/" + w).getModerated()
          + latest.get("character_id/char-2/" + w).getModerated()).isEqualTo(10);

      // and one ratings table for the window with all seven pairs, m-a first
      assertThat(table.keySet()).containsExactly(Long.toString(w));
      PolicyRatings r = table.get(Long.toString(w));
      assertThat(r.getPairs()).isEqualTo(7);
      assertThat(r.getRatings()).extracting(x -> x.getPolicyModel()).containsExactly("m-a", "m-b");
      assertThat(r.getRatings().get(0).getWins()).isEqualTo(5.0);
      assertThat(r.getRatings().get(1).getWins()).isEqualTo(2.0);
    }
  }

  @Test
  void aDriftRaisesExactlyTheExpectedAlertsAndDetectorsSurviveARestartOnEmptyLocalState() throws Exception {
    // given detectors that need 30 scores before they may alert (and a short session: a closed Streams member does
    // not leave its group, so the second instance waits out the first one's session before it gets the tasks)
    Pipeline p = pipeline(Map.of("analytics.drift.delta", "0.5", "analytics.drift.threshold", "10",
        "analytics.drift.min-observations", "30", "session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"));
    long w = previousWindowStart();
    try (KafkaProducer<String, TurnScore> scores = p.producer(TurnScore.class);
        TopicView<DriftAlert> alerts =
            new TopicView<>(p.config.clientProperties(), p.config.topics().driftAlerts(), DriftAlert.class)) {
      // and 20 scores of the innkeeper (model m-a) at consistency 8, processed and committed by a first instance
      try (AnalyticsApp first = start(p, Files.createTempDirectory("analytics-it-1").toString())) {
        for (int i = 0; i < 20; i++) {
          send(p, scores, innkeeper("t" + i, 8), w + i * 100L);
        }
        scores.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> committedScores(p) == 20);
      }

      // when a second instance on an empty state directory sees 10 more at 8, then 8 replies at 2: alone it would
      // have 18 scores, too few to alert
      ScoringMetrics metrics = ScoringMetrics.standalone();
      try (AnalyticsApp second = start(p, Files.createTempDirectory("analytics-it-2").toString(), metrics)) {
        for (int i = 20; i < 38; i++) {
          send(p, scores, innkeeper("t" + i, i < 30 ? 8 : 2), w + i * 100L);
        }
        scores.flush();
        alerts.awaitLatest(l -> l.size() == 2, Duration.ofSeconds(60), Duration.ofSeconds(3));
      }

      // then exactly one alert per dimension, from the detectors restored with the first 20 scores: L grows by
      // delta to 15 at t29 and falls by 2 − x̄ + δ at t30 and t31 (x̄ = 242/31, 244/32), above 10 at t31
      double statistic = -((2 - 242.0 / 31 + 0.5) + (2 - 244.0 / 32 + 0.5));
      List<ConsumerRecord<String, DriftAlert>> raised = alerts.records();
      assertThat(raised).extracting(ConsumerRecord::key)
          .containsExactlyInAnyOrder("policy_model/m-a", "character_id/innkeeper");
      for (ConsumerRecord<String, DriftAlert> r : raised) {
        DriftAlert a = r.value();
        assertThat(a.getAttribute()).isEqualTo(CONSISTENCY);
        assertThat(a.getDirection()).isEqualTo("drop");
        assertThat(a.getMeanBefore()).isEqualTo(8.0);
        assertThat(a.getMeanAfter()).isEqualTo(2.0);
        assertThat(a.getObservationsBefore()).isEqualTo(30);
        assertThat(a.getObservationsAfter()).isEqualTo(2);
        assertThat(a.getStatistic()).isCloseTo(statistic, within(1e-9));
        assertThat(a.getMonitoringStart().getTurnId()).isEqualTo("t0");
        assertThat(a.getChangeStart().getTurnId()).isEqualTo("t30");
        assertThat(a.getDetection().getTurnId()).isEqualTo("t31");
        assertThat(a.getDetection().getTopic()).isEqualTo(p.config.topics().turnScores());
      }
      AnalyticsMetrics counted = new AnalyticsMetrics(metrics.registry());
      assertThat(counted.driftAlerts(Dimension.CHARACTER, CONSISTENCY, "drop")).isEqualTo(1);
      assertThat(counted.driftAlerts(Dimension.POLICY_MODEL, CONSISTENCY, "drop")).isEqualTo(1);
      assertThat(counted.driftAlerts(Dimension.CHARACTER, Scores.CREATIVITY, "drop")).isZero();
    }
  }

  /** A reply of the innkeeper by model m-a, all in one conversation: one partition keeps them in order. */
  private static TurnScore innkeeper(String turnId, double consistency) {
    return TurnScore.newBuilder(score(turnId, "m-a", "innkeeper", 1, consistency, 5, 1))
        .setConversationId("c-innkeeper").build();
  }

  private static void send(Pipeline p, KafkaProducer<String, TurnScore> producer, TurnScore s, long at) {
    producer.send(new ProducerRecord<>(p.config.topics().turnScores(), null, at, s.getConversationId(), s));
  }

  /** Scores the analytics app's consumer group has committed, over every partition of the scores topic. */
  private static long committedScores(Pipeline p) throws Exception {
    return broker.admin().listConsumerGroupOffsets(AnalyticsApp.applicationId(p.config)).partitionsToOffsetAndMetadata()
        .get().entrySet().stream().filter(e -> e.getKey().topic().equals(p.config.topics().turnScores()))
        .mapToLong(e -> e.getValue().offset()).sum();
  }
}
