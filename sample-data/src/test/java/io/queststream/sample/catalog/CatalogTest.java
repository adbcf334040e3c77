package io.queststream.sample.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {

  @Test
  void loadsTwentyDistinctCharactersWithEnoughPromptsForSixExchanges() {
    Catalog catalog = Catalog.load();

    assertThat(catalog.characters()).hasSize(20);
    assertThat(catalog.characters().stream().map(CharacterSpec::id)).doesNotHaveDuplicates();
    assertThat(catalog.characters()).allSatisfy(character ->
        assertThat(character.prompts().size() + catalog.phrasebook().genericPrompts().size())
            .as(character.id()).isGreaterThanOrEqualTo(6));
  }

  @Test
  void characterWithoutVocabularyIsRejectedWithItsId() {
    assertThatThrownBy(() -> new CharacterSpec("mute-bard", "Bard", List.of(), "persona", "scenario", "hello",
        null, List.of("friend"), List.of(), List.of("x"), List.of("x"), List.of("x"), List.of("x"),
        List.of("x"), List.of("x"), List.of(new UserPrompt("hi", List.of("hello")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mute-bard")
        .hasMessageContaining("actions");
  }

  @Test
  void characterWithoutGreetingIsRejected() {
    assertThatThrownBy(() -> new CharacterSpec("shy-bard", "Bard", List.of(), "persona", "scenario", " ",
        null, List.of("friend"), List.of("x"), List.of("x"), List.of("x"), List.of("x"), List.of("x"),
        List.of("x"), List.of("x"), List.of(new UserPrompt("hi", List.of("hello")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("greeting");
  }
}
