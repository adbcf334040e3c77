package io.queststream.trainer.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.Truncation;
import io.queststream.model.api.UnscorableTurnException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FitCountsTest {

  /** Reads the reply's length as the number of windows; "history" drops history, "card" shortens the card. */
  private static PreparedTurn prepare(ScoringRequest r) throws UnscorableTurnException {
    if (r.response().isBlank()) {
      throw new UnscorableTurnException(r.turnId(), UnscorableTurnException.Reason.NO_VISIBLE_TEXT, "nothing to read",
          null);
    }
    int windows = r.response().length();
    Set<Truncation> flags = new HashSet<>();
    if (windows > 1) {
      flags.add(Truncation.REPLY_CHUNKED);
    }
    if (r.history().isEmpty()) {
      flags.add(Truncation.HISTORY_DROPPED);
    }
    if (r.turnId().startsWith("card")) {
      flags.add(Truncation.CARD_SHORTENED);
    }
    return new PreparedTurn(r.turnId(), "fake", Collections.nCopies(windows, new TokenWindow(new long[] {1}, 0, 0, 0,
        1)), 0, windows, windows, 0, flags);
  }

  private static ScoringRequest turn(String id, boolean history, String reply) {
    return new ScoringRequest(id, null, history ? List.of(new ChatMessage("user", "hi"))
        : List.of(), reply, null);
  }

  @Test
  void givenTurnsThatFitDifferentlyWhenCountedThenEachFlagAndEachUnreadableCauseIsCountedOnce() {
    // given
    FitCounts counts = new FitCounts();

    // when
    counts.add(FitCountsTest::prepare, turn("plain", true, "a"));
    counts.add(FitCountsTest::prepare, turn("long", true, "abc"));
    counts.add(FitCountsTest::prepare, turn("card-and-history", false, "ab"));
    counts.add(FitCountsTest::prepare, turn("blank", true, " "));

    // then
    assertThat(counts.turns()).isEqualTo(4);
    assertThat(counts.untouched()).isEqualTo(1);
    assertThat(counts.flagged(Truncation.REPLY_CHUNKED)).isEqualTo(2);
    assertThat(counts.flagged(Truncation.HISTORY_DROPPED)).isEqualTo(1);
    assertThat(counts.flagged(Truncation.CARD_SHORTENED)).isEqualTo(1);
    assertThat(counts.flagged(Truncation.REPLY_CUT)).isZero();
    assertThat(counts.maxWindows()).isEqualTo(3);
    assertThat(counts.unscorable()).isEqualTo(Map.of("NO_VISIBLE_TEXT", 1));
    assertThat(counts.toString()).isEqualTo("4 turns: 1 untouched, 1 HISTORY_DROPPED, 1 CARD_SHORTENED, "
        + "2 REPLY_CHUNKED, 0 REPLY_CUT; longest reply read in 3 windows; cannot be read: {NO_VISIBLE_TEXT=1}");
  }
}
