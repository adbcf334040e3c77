package io.queststream.streams.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.streams.config.HistoryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConversationHistoryTest {

  private static final HistoryConfig LIMITS = new HistoryConfig(10, 100, Duration.ofHours(1), Duration.ofMinutes(1));

  private static HistoryMessage msg(String id, String role, String parent) {
    return new HistoryMessage(id, role, id, 1, parent);
  }

  private static ConversationHistory of(HistoryMessage... ms) {
    ConversationHistory h = ConversationHistory.empty();
    for (int i = 0; i < ms.length; i++) {
      h = h.append(ms[i], i, LIMITS);
    }
    return h;
  }

  @Test
  void regenerationsShareTheContextUpToTheirParentAndNeverSeeEachOther() {
    ConversationHistory h = of(msg("s", "system", null), msg("u1", "user", null), msg("a1", "assistant", "u1"),
        msg("a2", "assistant", "u1"));

    ConversationContext ctx = h.contextFor("u1");

    assertThat(ctx.messages()).extracting(HistoryMessage::turnId).containsExactly("s", "u1");
    assertThat(ctx.parentMissing()).isFalse();
  }

  @Test
  void aUserTurnThatContinuesOneAlternativeBringsOnlyThatOneIntoLaterContexts() {
    ConversationHistory h = of(msg("u1", "user", null), msg("a1", "assistant", "u1"), msg("a2", "assistant", "u1"),
        msg("u2", "user", "a1"));

    assertThat(h.contextFor("u2").messages()).extracting(HistoryMessage::turnId).containsExactly("u1", "a1", "u2");
  }

  @Test
  void unlinkedTurnsFollowArrivalOrder() {
    ConversationHistory h = of(msg("u1", "user", null), msg("a1", "assistant", null), msg("u2", "user", null));

    assertThat(h.contextFor("u2").messages()).extracting(HistoryMessage::turnId).containsExactly("u1", "a1", "u2");
    assertThat(h.contextFor(null).messages()).hasSize(3);
  }

  @Test
  void anUnknownParentFallsBackToTheWholeHistoryAndSaysSo() {
    ConversationHistory h = of(msg("u1", "user", null));

    ConversationContext ctx = h.contextFor("gone");

    assertThat(ctx.messages()).extracting(HistoryMessage::turnId).containsExactly("u1");
    assertThat(ctx.parentMissing()).isTrue();
  }

  @Test
  void boundsDropTheOldestMessagesButNeverTheNewest() {
    HistoryConfig tight = new HistoryConfig(2, 1, Duration.ofHours(1), Duration.ofMinutes(1));
    ConversationHistory h = ConversationHistory.empty()
        .append(new HistoryMessage("u1", "user", "x", 1, null), 1, tight)
        .append(new HistoryMessage("u2", "user", "a long one", 3, null), 2, tight);

    assertThat(h.messages()).extracting(HistoryMessage::turnId).containsExactly("u2");
    assertThat(h.droppedMessages()).isEqualTo(1);
    assertThat(h.lastActivityMs()).isEqualTo(2);
    assertThat(h.contextFor(null).truncated()).isTrue();
  }
}
