package io.queststream.trainer.feedback;

import static io.queststream.trainer.support.Records.embedding;
import static io.queststream.trainer.support.Records.pair;
import static io.queststream.trainer.support.Records.ranking;
import static io.queststream.trainer.support.Records.rating;
import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.TurnEmbedding;
import io.queststream.trainer.dataset.TrainingSet;
import io.queststream.trainer.training.TrainingPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackJoinerTest {

  private static final List<String> ATTRS = List.of("creativity", "engagement");
  private static final String BACKBONE = "test-backbone";

  private final List<RejectionCause> rejected = new ArrayList<>();
  private final TrainingSet set = new TrainingSet(ATTRS, 2, 1, 0.0001);
  private final FeedbackJoiner joiner = new FeedbackJoiner(set, BACKBONE,
      (source, cause, message) -> rejected.add(cause), Duration.ofMinutes(5));

  @Test
  void joinsARatingThatArrivesBeforeItsEmbedding() {
    // given a rating for a turn the trainer has not seen
    joiner.onRecord(rating("r1", "t1", Map.of("creativity", 8f)), SourceRecord.local("test"), 0);
    assertThat(joiner.accepted()).isZero();
    assertThat(joiner.pendingCount()).isEqualTo(1);

    // when the embedding arrives within the grace period
    joiner.onRecord(embedding("t1", "c1", new float[] {1, 0}, new float[] {0, 1}, 30), SourceRecord.local("test"), 1);

    // then the rating joins the training set
    assertThat(joiner.accepted()).isEqualTo(1);
    assertThat(joiner.pendingCount()).isZero();
    assertThat(set.summary()).containsEntry("ratings", "1");
  }

  @Test
  void expandsARankingIntoEveryImpliedPairAndIgnoresRepeats() {
    // given three turns and a ranking of them, delivered twice
    for (String t : List.of("a", "b", "c")) {
      joiner.onRecord(embedding(t, "c1", new float[] {1, 0}, new float[] {t.charAt(0), 1}, 10),
          SourceRecord.local("test"), 0);
    }
    joiner.onRecord(ranking("k1", List.of("a", "b", "c")), SourceRecord.local("test"), 0);
    joiner.onRecord(ranking("k1", List.of("a", "b", "c")), SourceRecord.local("test"), 0);

    // then a>b, a>c, b>c, once each
    List<TrainingPair> pairs = set.trainingPairs();
    assertThat(pairs).hasSize(3);
    assertThat(pairs).allSatisfy(p -> assertThat(p.weight()).isEqualTo(1f));
    assertThat(joiner.accepted()).isEqualTo(1);
  }

  @Test
  void conflictingPairsTrainInTheMajorityDirectionWithTheNetWeight() {
    // given two raters prefer a over b and one prefers b over a
    joiner.onRecord(embedding("a", "c1", new float[] {1, 0}, new float[] {1, 1}, 10), SourceRecord.local("t"), 0);
    joiner.onRecord(embedding("b", "c1", new float[] {1, 0}, new float[] {2, 1}, 10), SourceRecord.local("t"), 0);
    joiner.onRecord(pair("p1", "a", "b", 1f), SourceRecord.local("t"), 0);
    joiner.onRecord(pair("p2", "a", "b", 1f), SourceRecord.local("t"), 0);
    joiner.onRecord(pair("p3", "b", "a", 1f), SourceRecord.local("t"), 0);

    // then one pair a > b with weight 1
    List<TrainingPair> pairs = set.trainingPairs();
    assertThat(pairs).hasSize(1);
    assertThat(pairs.get(0).chosenResponse()).containsExactly(1f, 1f);
    assertThat(pairs.get(0).weight()).isEqualTo(1f);
  }

  @Test
  void sendsBadFeedbackToDeadLettersWithItsCause() {
    // given a known turn
    joiner.onRecord(embedding("t1", "c1", new float[] {1, 0}, new float[] {0, 1}, 30), SourceRecord.local("t"), 0);

    // when bad feedback of each kind arrives
    joiner.onRecord(rating("r1", "t1", Map.of("creativity", 11f)), SourceRecord.local("t"), 0);
    joiner.onRecord(rating("r2", "t1", Map.of("creativity", Float.NaN)), SourceRecord.local("t"), 0);
    joiner.onRecord(rating("r3", "t1", Map.of("humour", 5f)), SourceRecord.local("t"), 0);
    joiner.onRecord(pair("p1", "t1", "t1", 1f), SourceRecord.local("t"), 0);
    joiner.onRecord(pair("p2", "t1", "ghost", 1f), SourceRecord.local("t"), 0);
    joiner.onRecord(embedding("t2", "c1", new float[] {1, 0, 0}, new float[] {0, 1, 0}, 3), SourceRecord.local("t"),
        0);
    assertThat(joiner.expire(Duration.ofMinutes(4).toMillis())).isEmpty();
    List<Expiry> expired = joiner.expire(Duration.ofMinutes(6).toMillis());

    // then each is rejected with its cause, the pair naming a turn never seen expires, and nothing joined
    assertThat(rejected).containsExactly(RejectionCause.RATING_OUT_OF_SCALE, RejectionCause.NOT_A_NUMBER,
        RejectionCause.UNKNOWN_ATTRIBUTE, RejectionCause.SAME_TURN_TWICE, RejectionCause.DIMENSION_MISMATCH);
    assertThat(expired).extracting(Expiry::feedbackId).containsExactly("pair:p2");
    assertThat(expired.get(0).message()).contains("[ghost]");
    assertThat(joiner.pendingCount()).isZero();
    assertThat(joiner.accepted()).isZero();
  }

  @Test
  void aRejectedRecordLeavesNoTraceSoEachCopyIsRejectedAndAValidRecordWithItsIdJoins() {
    // given a known turn and a rating of it out of scale
    joiner.onRecord(embedding("t1", "c1", new float[] {1, 0}, new float[] {0, 1}, 30), SourceRecord.local("t"), 0);
    joiner.onRecord(rating("r1", "t1", Map.of("creativity", 11f)), SourceRecord.local("t"), 0);

    // when the same bad rating is delivered again (a rewind), and then a valid rating under its id
    joiner.onRecord(rating("r1", "t1", Map.of("creativity", 11f)), SourceRecord.local("t"), 0);
    joiner.onRecord(rating("r1", "t1", Map.of("creativity", 7f)), SourceRecord.local("t"), 0);
    joiner.onRecord(rating("r1", "t1", Map.of("creativity", 7f)), SourceRecord.local("t"), 0);

    // then each delivery of the bad one is rejected, and the valid one joins once
    assertThat(rejected).containsExactly(RejectionCause.RATING_OUT_OF_SCALE, RejectionCause.RATING_OUT_OF_SCALE);
    assertThat(joiner.accepted()).isEqualTo(1);
    assertThat(set.summary()).containsEntry("ratings", "1");
  }

  @Test
  void checkJudgesARecordAloneWithoutTakingIt() {
    assertThat(joiner.check(rating("r1", "t1", Map.of("humour", 5f))))
        .hasValueSatisfying(r -> assertThat(r.cause()).isEqualTo(RejectionCause.UNKNOWN_ATTRIBUTE));
    assertThat(joiner.check(rating("r2", "t1", Map.of("creativity", 5f)))).isEmpty();
    assertThat(joiner.check("not feedback"))
        .hasValueSatisfying(r -> assertThat(r.cause()).isEqualTo(RejectionCause.UNEXPECTED_TYPE));
    assertThat(joiner.pendingCount()).isZero();
    assertThat(joiner.accepted()).isZero();
  }

  @Test
  void settledFeedbackReplayedFromTheLogNeitherWaitsNorExpiresAgain() {
    // given a rating and a pair whose expiry was committed before a restart, and one that had not expired
    joiner.settled("rating:r1");
    joiner.settled("pair:p1");

    // when the log replays them, with their turns still unknown
    joiner.onRecord(rating("r1", "ghost", Map.of("creativity", 5f)), SourceRecord.local("replay"), 0);
    joiner.onRecord(pair("p1", "ghost", "other", 1f), SourceRecord.local("replay"), 0);
    joiner.onRecord(rating("r2", "ghost", Map.of("creativity", 5f)), SourceRecord.local("replay"), 0);

    // then only the unsettled one waits, and only it expires
    assertThat(joiner.pendingCount()).isEqualTo(1);
    assertThat(joiner.expire(Duration.ofMinutes(6).toMillis())).extracting(Expiry::feedbackId)
        .containsExactly("rating:r2");
    assertThat(rejected).isEmpty();
  }

  @Test
  void deadLettersEmbeddingsFromAnotherBackboneEvenWhenTheDimensionMatches() {
    // given a turn embedded by the trainer's backbone and a pair naming it and a turn from another backbone
    joiner.onRecord(embedding("t1", "c1", new float[] {1, 0}, new float[] {0, 1}, 30), SourceRecord.local("t"), 0);
    TurnEmbedding foreign = TurnEmbedding.newBuilder(
        embedding("t2", "c1", new float[] {1, 0}, new float[] {1, 1}, 30)).setBackboneId("other-backbone").build();
    List<String> messages = new ArrayList<>();
    FeedbackJoiner recording = new FeedbackJoiner(set, BACKBONE, (source, cause, message) -> {
      rejected.add(cause);
      messages.add(message);
    }, Duration.ofMinutes(5));

    // when the other backbone's embedding (same 2-d) and a pair over both turns arrive
    recording.onRecord(foreign, SourceRecord.local("t"), 0);
    recording.onRecord(pair("p1", "t1", "t2", 1f), SourceRecord.local("t"), 0);

    // then the embedding is dead-lettered naming both backbones, and the pair waits for a usable t2
    assertThat(rejected).containsExactly(RejectionCause.BACKBONE_MISMATCH);
    assertThat(messages.get(0)).contains("other-backbone").contains(BACKBONE);
    assertThat(set.summary()).containsEntry("turns", "1");
    assertThat(recording.accepted()).isZero();
    assertThat(recording.pendingCount()).isEqualTo(1);
  }

  @Test
  void averagesConflictingRatingsOfOneTurn() {
    // given a held-out turn (every context is held out) rated 2 and 8 on a 1..10 scale
    TrainingSet heldOutOnly = new TrainingSet(ATTRS, 2, 1, 0.9999);
    FeedbackJoiner j = new FeedbackJoiner(heldOutOnly, BACKBONE, (s, c, m) -> rejected.add(c),
        Duration.ofMinutes(5));
    j.onRecord(embedding("t1", "c1", new float[] {1, 0}, new float[] {0, 1}, 30), SourceRecord.local("t"), 0);
    j.onRecord(rating("r1", "t1", Map.of("creativity", 2f)), SourceRecord.local("t"), 0);
    j.onRecord(rating("r2", "t1", Map.of("creativity", 8f)), SourceRecord.local("t"), 0);

    // then its label is the mean, normalised from the scale: (5 - 1) / 9
    double[] labels = heldOutOnly.heldOut().rated().get(0).labels();
    assertThat(labels[0]).isCloseTo(4.0 / 9, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(labels[1]).isNaN();
  }

  @Test
  void trainingSetSurvivesARestartFromTheFeedbackLog(@TempDir Path dir) {
    // given feedback appended to the log and synced
    try (FeedbackLog log = FeedbackLog.open(dir, r -> { })) {
      log.append(rating("r1", "t1", Map.of("creativity", 8f)));
      log.append(embedding("t1", "c1", new float[] {1, 0}, new float[] {0, 1}, 30));
      log.append(embedding("t2", "c1", new float[] {1, 0}, new float[] {1, 1}, 30));
      log.append(pair("p1", "t2", "t1", 1f));
      log.sync();
    }

    // when the trainer restarts and replays the log into a fresh training set
    TrainingSet restored = new TrainingSet(ATTRS, 2, 1, 0.0001);
    FeedbackJoiner replayed = new FeedbackJoiner(restored, BACKBONE, (s, c, m) -> rejected.add(c),
        Duration.ofMinutes(5));
    try (FeedbackLog log = FeedbackLog.open(dir, r -> replayed.onRecord(r, SourceRecord.local("replay"), 0))) {
      log.append(rating("r2", "t2", Map.of("engagement", 3f)));
      log.sync();
    }

    // then everything joined again, with no dead letters; the log still accepts appends
    assertThat(replayed.accepted()).isEqualTo(2);
    assertThat(restored.summary()).containsEntry("turns", "2").containsEntry("ratings", "1")
        .containsEntry("preference_pairs", "1");
    assertThat(rejected).isEmpty();
    List<Object> again = new ArrayList<>();
    FeedbackLog.open(dir, again::add).close();
    assertThat(again).hasSize(5);
  }
}
