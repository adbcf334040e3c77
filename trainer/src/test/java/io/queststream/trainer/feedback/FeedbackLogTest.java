package io.queststream.trainer.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.AttributeRating;
import io.queststream.trainer.support.Records;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackLogTest {

  private static AttributeRating rating(int n) {
    return Records.rating("r" + n, "t" + n, Map.of("creativity", 5f));
  }

  private static List<String> replayed(Path dir) {
    List<String> ids = new ArrayList<>();
    FeedbackLog.open(dir, r -> ids.add(((AttributeRating) r).getRatingId())).close();
    return ids;
  }

  @Test
  void recoveryCutsEveryFileBackToItsLastSyncAndTheLogGoesOnFromThere(@TempDir Path dir) {
    // given a log with three synced ratings and two appended after the last sync (a failed sync, say)
    FeedbackLog log = FeedbackLog.open(dir, r -> { });
    log.append(rating(1));
    log.append(rating(2));
    log.append(rating(3));
    log.sync();
    log.append(rating(4));
    log.append(rating(5));

    // when the log recovers and takes a record again
    log.recover();
    log.append(rating(6));
    log.sync();
    log.close();

    // then a replay holds the synced records and the one after recovery, and nothing torn
    assertThat(replayed(dir)).containsExactly("r1", "r2", "r3", "r6");
  }

  @Test
  void recoveryOfAFreshLogStartsItsFilesAgain(@TempDir Path dir) {
    FeedbackLog log = FeedbackLog.open(dir, r -> { });
    log.append(rating(1));

    log.recover();
    log.append(rating(2));
    log.sync();
    log.close();

    assertThat(replayed(dir)).containsExactly("r2");
  }

  @Test
  void recordsOfOtherTypesSurviveARecoveryOfTheRatings(@TempDir Path dir) {
    FeedbackLog log = FeedbackLog.open(dir, r -> { });
    log.append(Records.pair("p1", "a", "b", 1f));
    log.sync();

    log.recover();
    log.close();

    List<SpecificRecord> all = new ArrayList<>();
    FeedbackLog.open(dir, all::add).close();
    assertThat(all).hasSize(1);
  }

  @Test
  void expiredIdsAreReplayedBeforeTheRecordsAndNoIdCanAddALineOfItsOwn(@TempDir Path dir) throws Exception {
    // given expired ids, one of them hostile: a newline and an encoded-looking tail naming another id
    FeedbackLog log = FeedbackLog.open(dir, r -> { });
    log.append(rating(1));
    log.sync();
    log.markExpired(List.of("rating:r1", "rating:x\nrating:victim", "pair:100%25"));
    log.close();

    // when the log is opened again
    List<String> order = new ArrayList<>();
    FeedbackLog.open(dir, id -> order.add("expired " + id), r -> order.add("record "
        + ((AttributeRating) r).getRatingId())).close();

    // then each id comes back whole, none split, before the records
    assertThat(order).containsExactly("expired rating:r1", "expired rating:x\nrating:victim", "expired pair:100%25",
        "record r1");
  }

  @Test
  void aLineCutShortByACrashIsNotAnId(@TempDir Path dir) throws Exception {
    FeedbackLog log = FeedbackLog.open(dir, r -> { });
    log.markExpired(List.of("rating:r12"));
    log.close();
    java.nio.file.Files.writeString(dir.resolve("expired-feedback.txt"), "rating%3Ar1",
        java.nio.file.StandardOpenOption.APPEND);

    List<String> expired = new ArrayList<>();
    FeedbackLog.open(dir, expired::add, r -> { }).close();

    assertThat(expired).containsExactly("rating:r12");
  }
}
