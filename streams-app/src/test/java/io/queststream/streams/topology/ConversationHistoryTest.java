package io.queststream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.streams.config.HistoryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConversationHistoryTest {

  private static final HistoryConfig LIMITS = new HistoryConfig(10, 100, Duration.ofHours(1), Duration.ofMinutes(1));

  private static HistoryMessage msg(String id, String role) {
    return new HistoryMessage(id, role, id, 1);
  }

  @Test
  void contextOfARegenerationEndsAtItsParent() {
    ConversationHistory h = ConversationHistory.empty()
        .append(msg("u1", "user"), null, 1, LIMITS)
        .append(msg("a1", "assistant"), "u1", 2, LIMITS);

    ConversationContext ctx = h.contextFor("u1");

    assertThat(ctx.messages()).extracting(HistoryMessage::turnId).containsExactly("u1");
    assertThat(ctx.parentMissing()).isFalse();
  }

  @Test
  void anUnknownParentFallsBackToTheWholeHistoryAndSaysSo() {
    ConversationHistory h = ConversationHistory.empty().append(msg("u1", "user"), null, 1, LIMITS);

    ConversationContext ctx = h.contextFor("gone");

    assertThat(ctx.messages()).extracting(HistoryMessage::turnId).containsExactly("u1");
    assertThat(ctx.parentMissing()).isTrue();
  }

  @Test
  void aRegenerationReplacesItsSiblingInTheLiveBranch() {
    ConversationHistory h = ConversationHistory.empty()
        .append(msg("u1", "user"), null, 1, LIMITS)
        .append(msg("a1", "assistant"), "u1", 2, LIMITS)
        .append(msg("a2", "assistant"), "u1", 3, LIMITS);

    assertThat(h.messages()).extracting(HistoryMessage::turnId).containsExactly("u1", "a2");
    assertThat(h.lastActivityMs()).isEqualTo(3);
  }

  @Test
  void boundsDropTheOldestMessagesButNeverTheNewest() {
    HistoryConfig tight = new HistoryConfig(2, 1, Duration.ofHours(1), Duration.ofMinutes(1));
    ConversationHistory h = ConversationHistory.empty()
        .append(new HistoryMessage("u1", "user", "x", 1), null, 1, tight)
        .append(new HistoryMessage("u2", "user", "a long one", 3), null, 2, tight);

    assertThat(h.messages()).extracting(HistoryMessage::turnId).containsExactly("u2");
    assertThat(h.droppedMessages()).isEqualTo(1);
    assertThat(h.contextFor(null).truncated()).isTrue();
  }
}
