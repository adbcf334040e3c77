package io.queststream.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.queststream.schemas.ChatTurn;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.TurnScore;
import io.queststream.streams.app.ScoringApp;
import io.queststream.streams.errors.DeadLetterHeaders;
import io.queststream.streams.metrics.ScoringMetrics;
import io.queststream.streams.support.ObservedScorer;
import io.queststream.streams.support.Pipeline;
import io.queststream.streams.support.SharedMiniLm;
import io.queststream.streams.support.TestHeads;
import io.queststream.streams.support.Turns;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** N assistant turns in, exactly N scores out (read_committed), with the real MiniLM scorer, broker and registry. */
@RealKafka
@RealSchemaRegistry
class ExactlyOnceScoringIT {

  private static final Duration LOG_READ = Duration.ofSeconds(30);

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  private static Set<String> publishConversations(Pipeline p, int conversations) throws Exception {
    try (KafkaProducer<String, RewardHeads> weights = p.producer(RewardHeads.class);
        KafkaProducer<String, ChatTurn> turns = p.producer(ChatTurn.class)) {
      weights.send(new ProducerRecord<>(p.config.topics().rewardWeights(), TestHeads.MODEL_NAME,
          SharedMiniLm.heads(1))).get();
      for (int c = 0; c < conversations; c++) {
        String conversation = "c" + c;
        turns.send(new ProducerRecord<>(p.config.topics().chatTurns(), conversation,
            Turns.user(conversation, conversation + "-u", "Is there a room free for the night, " + c + "?")));
        turns.send(new ProducerRecord<>(p.config.topics().chatTurns(), conversation,
            Turns.assistant(conversation, conversation + "-a", "One room left, traveller number " + c + ".",
                conversation + "-u")));
      }
      turns.flush();
    }
    return java.util.stream.IntStream.range(0, conversations).mapToObj(c -> "c" + c + "-a")
        .collect(Collectors.toSet());
  }

  @Test
  void aCrashMidBatchAndARestartStillYieldExactlyOneScorePerTurn() throws Exception {
    // Nothing commits before the crash (the interval outlasts the test's first phase, a few seconds), so the scores
    // forwarded before it sit in an open transaction. The crashed instance never aborts it, and the restarted one,
    // on a new state directory, has another transactional id and cannot fence it: the broker aborts it after the
    // transaction timeout, which Kafka Streams requires to be no shorter than the commit interval.
    Pipeline p = new Pipeline(broker, registry, Map.of("commit.interval.ms", "15000",
        "producer.transaction.timeout.ms", "15000", "batch.commit-on-results", "false",
        "consumer.session.timeout.ms", "6000"));
    int n = 48;
    CompletableFuture<Void> crash = new CompletableFuture<>();
    ScoringApp first = new ScoringApp(p.config, ObservedScorer.crashingOn(SharedMiniLm.scorer(), 3, crash),
        ScoringMetrics.standalone());
    first.start();
    Set<String> expected = publishConversations(p, n);

    await().atMost(Duration.ofSeconds(60))
        .until(() -> !p.readWholeLog(p.config.topics().turnScores(), TurnScore.class, LOG_READ).isEmpty());
    assertThat(p.readToEnd(p.config.topics().turnScores(), TurnScore.class, LOG_READ))
        .as("scores forwarded before the crash, none of them committed yet").isEmpty();
    crash.complete(null);
    await().atMost(Duration.ofSeconds(60)).until(() -> first.state() == KafkaStreams.State.ERROR);
    first.close();
    List<ConsumerRecord<String, TurnScore>> beforeRestart = p.readWholeLog(p.config.topics().turnScores(),
        TurnScore.class, LOG_READ);
    assertThat(beforeRestart).as("scores forwarded before the crash, in the aborted transaction").isNotEmpty();
    assertThat(p.readToEnd(p.config.topics().turnScores(), TurnScore.class, LOG_READ))
        .as("scores committed before the restart").isEmpty();

    ScoringApp second = new ScoringApp(p.configWith("state.dir",
        java.nio.file.Files.createTempDirectory("streams-it-restart").toString()),
        ObservedScorer.watching(SharedMiniLm.scorer()), ScoringMetrics.standalone());
    try {
      second.start();
      List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class, n,
          Duration.ofSeconds(90), Duration.ofSeconds(3), true);

      assertThat(scores).hasSize(n);
      assertThat(scores).extracting(r -> r.value().getTurnId()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(scores).allSatisfy(r -> {
        assertThat(r.key()).isEqualTo(r.value().getConversationId());
        assertThat(r.value().getWeightsVersion()).isEqualTo(1);
        assertThat(r.value().getBackboneId()).isEqualTo(SharedMiniLm.scorer().backbone().id());
      });
      List<ConsumerRecord<String, TurnScore>> wholeLog = p.readWholeLog(p.config.topics().turnScores(),
          TurnScore.class, LOG_READ);
      assertThat(wholeLog.size()).as("the aborted scores are still in the log, invisible to read_committed")
          .isGreaterThanOrEqualTo(n + beforeRestart.size());
    } finally {
      second.close();
    }
  }

  @Test
  void aHungModelCallStopsTheAppAndItsTurnsAreScoredOnceAfterTheRestart() throws Exception {
    // given an app whose first model call never returns, with a deadline of 3 s for model calls
    Pipeline p = new Pipeline(broker, registry, Map.of("health.model-call-deadline-ms", "3000",
        "batch.max-size", "64", "batch.max-wait-ms", "500"));
    int n = 8;
    ScoringMetrics metrics = ScoringMetrics.standalone();
    ScoringApp first = new ScoringApp(p.config, ObservedScorer.hangingOn(SharedMiniLm.scorer(), 1), metrics);
    first.start();
    Set<String> expected = publishConversations(p, n);

    // when the call has run past the deadline
    await().atMost(Duration.ofSeconds(60)).until(first::failed);

    // then the app is no longer live, says why, and stops, having scored nothing
    assertThat(first.live()).isFalse();
    assertThat(metrics.registry().get("quest.model.call.longest").gauge().value()).isGreaterThanOrEqualTo(3.0);
    assertThat(first.readiness().reasons()).anySatisfy(r -> assertThat(r).startsWith("a model call has run for ")
        .contains("health.model-call-deadline-ms 3000"));
    first.awaitStop();
    first.close();
    assertThat(p.readToEnd(p.config.topics().turnScores(), TurnScore.class, LOG_READ)).isEmpty();

    // and a restarted app scores every turn exactly once
    try (ScoringApp second = new ScoringApp(p.config, ObservedScorer.watching(SharedMiniLm.scorer()),
        ScoringMetrics.standalone())) {
      second.start();
      List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class, n,
          Duration.ofSeconds(90), Duration.ofSeconds(3), true);
      assertThat(scores).extracting(r -> r.value().getTurnId()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void aTurnThatHangsTheModelEveryTimeIsDeadLetteredAfterItsAttemptsAndEveryOtherTurnIsScoredOnce() throws Exception {
    // given an app whose model hangs on every device batch holding turn c3-a, two model calls allowed per turn
    Pipeline p = new Pipeline(broker, registry, Map.of("health.model-call-deadline-ms", "3000",
        "health.model-call-attempts", "2", "batch.max-size", "64", "batch.max-wait-ms", "500"));
    int n = 8;
    String poison = "c3-a";
    Set<String> expected = publishConversations(p, n);

    // when the first life hangs on the poison turn's batch, and the second (restored turns one at a time, alone)
    // hangs on the poison turn alone
    ObservedScorer firstModel = ObservedScorer.hangingOnTurn(SharedMiniLm.scorer(), poison);
    runUntilTheModelHangs(p, firstModel);
    ObservedScorer secondModel = ObservedScorer.hangingOnTurn(SharedMiniLm.scorer(), poison);
    runUntilTheModelHangs(p, secondModel);
    assertThat(secondModel.aloneTurns()).as("restored turns handed over alone, the poison last").endsWith(poison)
        .doesNotHaveDuplicates();

    // then the third life dead-letters the poison turn without handing it over, and scores every other turn once
    ObservedScorer thirdModel = ObservedScorer.hangingOnTurn(SharedMiniLm.scorer(), poison);
    try (ScoringApp third = new ScoringApp(p.config, thirdModel, ScoringMetrics.standalone())) {
      third.start();
      List<ConsumerRecord<String, byte[]>> dead = p.readRaw(p.config.topics().deadLetters(), 1,
          Duration.ofSeconds(90), Duration.ofSeconds(3));
      List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class,
          n - 1, Duration.ofSeconds(90), Duration.ofSeconds(3), true);

      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).key()).isEqualTo("c3");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.KIND)).isEqualTo("scoring");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.REASON))
          .isEqualTo("MODEL_NEVER_FINISHED");
      assertThat(DeadLetterHeaders.text(dead.get(0).headers(), DeadLetterHeaders.MESSAGE))
          .contains("turn c3-a: handed to the model 2 times (health.model-call-attempts 2)");
      assertThat(scores).extracting(r -> r.value().getTurnId())
          .containsExactlyInAnyOrderElementsOf(expected.stream().filter(t -> !t.equals(poison)).toList());
      assertThat(thirdModel.aloneTurns()).doesNotContain(poison);
      assertThat(third.failed()).isFalse();
    }
  }

  /** Runs an app on the model until its watchdog finds a call hung, then lets it stop. */
  private static void runUntilTheModelHangs(Pipeline p, ObservedScorer model) throws Exception {
    ScoringApp app = new ScoringApp(p.config, model, ScoringMetrics.standalone());
    app.start();
    await().atMost(Duration.ofSeconds(90)).until(app::failed);
    app.awaitStop();
    app.close();
  }

  @Test
  void anAppWithNothingToScoreCommitsNoTransactions() throws Exception {
    // given an app that has scored its input and has nothing left in its buffer
    Pipeline p = new Pipeline(broker, registry, Map.of("analytics.enabled", "false"));
    int n = 4;
    Set<String> expected = publishConversations(p, n);
    ScoringMetrics metrics = ScoringMetrics.standalone();
    try (ScoringApp app = new ScoringApp(p.config, ObservedScorer.watching(SharedMiniLm.scorer()), metrics)) {
      app.start();
      assertThat(p.read(p.config.topics().turnScores(), TurnScore.class, n, Duration.ofSeconds(90),
          Duration.ZERO, true)).extracting(r -> r.value().getTurnId()).containsExactlyInAnyOrderElementsOf(expected);
      await().atMost(Duration.ofSeconds(30)).until(() -> metrics.registry().find("quest.batch.pending").gauge()
          .value() == 0.0);
      Thread.sleep(1_000);
      double before = commits(metrics);

      // when it stays idle for 5 s (50 commit intervals)
      Thread.sleep(5_000);

      // then its stream threads commit nothing: no empty transactions every commit interval
      assertThat(commits(metrics) - before).isEqualTo(0.0);
    }
  }

  private static double commits(ScoringMetrics metrics) {
    return metrics.registry().find("kafka.stream.thread.commit.total").functionCounters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  @Test
  void twoStreamThreadsShareOneScorerAndEveryTurnIsScoredOnce() throws Exception {
    Pipeline p = new Pipeline(broker, registry, Map.of("num.stream.threads", "2", "topics.partitions", "4"));
    int n = 64;
    ObservedScorer scorer = ObservedScorer.watching(SharedMiniLm.scorer());
    Set<String> expected = publishConversations(p, n);
    try (ScoringApp app = new ScoringApp(p.config, scorer, ScoringMetrics.standalone())) {
      app.start();
      List<ConsumerRecord<String, TurnScore>> scores = p.read(p.config.topics().turnScores(), TurnScore.class, n,
          Duration.ofSeconds(90), Duration.ofSeconds(2), true);

      assertThat(scores).extracting(r -> r.value().getTurnId()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(scorer.callingThreads()).as("stream threads that called the one scorer").hasSize(2);
    }
  }
}
