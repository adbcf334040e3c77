package io.queststream.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.sample.SampleData;
import io.queststream.sample.SampleDataset;
import io.queststream.schemas.ChatTurn;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DriftInjectionTest {

  private static final SampleDataset DATA = SampleData.load();
  private static final String CHARACTER = "innkeeper-brenna";

  private static ChatTurn reply(String character) {
    return DATA.turns().stream().filter(t -> t.getRole().equals("assistant") && t.getCharacterId().equals(character))
        .findFirst().orElseThrow();
  }

  @Test
  void afterTheGivenTurnsTheCharactersRepliesBecomeDegenerateSampleReplies() {
    // given the sample data's degenerate replies
    Set<String> degenerate = DATA.turns().stream()
        .filter(t -> DATA.trueQuality(t.getTurnId()).filter(q -> q.degenerate()).isPresent())
        .map(ChatTurn::getText).collect(Collectors.toSet());
    DriftInjection drift = new DriftInjection(DATA, CHARACTER, 100);
    ChatTurn reply = reply(CHARACTER);

    // when
    ChatTurn before = drift.apply(reply, 99);
    ChatTurn after = drift.apply(reply, 100);

    // then
    assertThat(before).isSameAs(reply);
    assertThat(degenerate).isNotEmpty().contains(after.getText()).doesNotContain(reply.getText());
    assertThat(after.getTurnId()).isEqualTo(reply.getTurnId());
    assertThat(after.getCharacterId()).isEqualTo(CHARACTER);
  }

  @Test
  void anUnknownCharacterIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> new DriftInjection(DATA, "nobody", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no character 'nobody'").hasMessageContaining(CHARACTER);
  }

  @Test
  void otherCharactersAndUserTurnsAreLeftAsTheyAre() {
    // given
    DriftInjection drift = new DriftInjection(DATA, CHARACTER, 1);
    ChatTurn otherReply = DATA.turns().stream()
        .filter(t -> t.getRole().equals("assistant") && !t.getCharacterId().equals(CHARACTER)).findFirst()
        .orElseThrow();
    ChatTurn userTurn = DATA.turns().stream()
        .filter(t -> t.getRole().equals("user") && t.getCharacterId().equals(CHARACTER)).findFirst().orElseThrow();

    // then
    for (ChatTurn t : List.of(otherReply, userTurn)) {
      assertThat(drift.apply(t, 500)).isSameAs(t);
    }
  }
}
