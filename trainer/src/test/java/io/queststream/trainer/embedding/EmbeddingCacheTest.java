package io.queststream.trainer.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.api.BackboneInfo;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.ScoringRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {

  static final BackboneInfo BACKBONE = new BackboneInfo("test/encoder", 3, "mean", "cpu()", 16);

  @TempDir
  Path dir;

  static EmbeddedTurn turn(String id, float v) {
    return new EmbeddedTurn(id, new float[] {v, v + 1, v + 2}, new float[] {-v, -v - 1, -v - 2}, 7, 5, true);
  }

  @Test
  void aReopenedCacheHoldsWhatWasStoredAndCutsATornLastRecord() throws Exception {
    // given two records written, then half of a third (a run killed mid-write)
    try (EmbeddingCache cache = EmbeddingCache.open(dir, BACKBONE, 12)) {
      cache.put(List.of(hex('a'), hex('b')), List.of(turn("t1", 1), turn("t2", 2)));
    }
    Path file = dir.resolve("test_encoder-16-12.emb");
    long whole = Files.size(file);
    Files.write(file, new byte[20], StandardOpenOption.APPEND);

    // when
    try (EmbeddingCache reopened = EmbeddingCache.open(dir, BACKBONE, 12)) {
      // then
      assertThat(Files.size(file)).isEqualTo(whole);
      assertThat(reopened.size()).isEqualTo(2);
      EmbeddingCache.Entry b = reopened.get(hex('b')).orElseThrow();
      assertThat(b.prompt()).containsExactly(2, 3, 4);
      assertThat(b.response()).containsExactly(-2, -3, -4);
      assertThat(b.promptTokens()).isEqualTo(7);
      assertThat(b.responseTokens()).isEqualTo(5);
      assertThat(b.truncated()).isTrue();
      // and it keeps appending after the cut
      reopened.put(List.of(hex('c')), List.of(turn("t3", 3)));
    }
    try (EmbeddingCache again = EmbeddingCache.open(dir, BACKBONE, 12)) {
      assertThat(again.size()).isEqualTo(3);
      assertThat(again.get(hex('c')).orElseThrow().prompt()).containsExactly(3, 4, 5);
    }
  }

  @Test
  void theKeyCoversWhatTheBackboneSeesNotTheTurnId() {
    CharacterProfile card = new CharacterProfile("c", "Mira", "A mechanic.", "A dead engine.");
    List<ChatMessage> history = List.of(new ChatMessage("user", "Fix it?"));

    String a = EmbeddingCache.key(new ScoringRequest("turn-1", card, history, "Twenty minutes."));
    String b = EmbeddingCache.key(new ScoringRequest("turn-2", card, history, "Twenty minutes."));
    String otherCard = EmbeddingCache.key(new ScoringRequest("turn-1",
        new CharacterProfile("c", "Mira", "A pilot.", "A dead engine."), history, "Twenty minutes."));
    String otherReply = EmbeddingCache.key(new ScoringRequest("turn-1", card, history, "Twenty minutes!"));

    assertThat(a).isEqualTo(b).hasSize(64);
    assertThat(otherCard).isNotEqualTo(a);
    assertThat(otherReply).isNotEqualTo(a);
  }

  @Test
  void refusesAFileWrittenForOtherTokenLimits() throws Exception {
    try (EmbeddingCache cache = EmbeddingCache.open(dir, BACKBONE, 12)) {
      cache.put(List.of(hex('a')), List.of(turn("t1", 1)));
    }
    Files.move(dir.resolve("test_encoder-16-12.emb"), dir.resolve("test_encoder-16-10.emb"));

    assertThatThrownBy(() -> EmbeddingCache.open(dir, BACKBONE, 10)).isInstanceOf(IOException.class)
        .hasMessageContaining("is not an embedding cache of test/encoder (3-d, 16/12 tokens)");
  }

  private static String hex(char c) {
    return String.valueOf(c).repeat(64);
  }
}
