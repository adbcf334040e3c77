package io.queststream.sample.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.sample.ConstructedQuality;
import io.queststream.sample.QualityLevel;
import io.queststream.sample.QuestAttribute;
import io.queststream.sample.catalog.Catalog;
import io.queststream.sample.catalog.CharacterSpec;
import io.queststream.sample.catalog.Phrasebook;
import io.queststream.sample.catalog.UserPrompt;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplyComposerTest {

  private static final Catalog CATALOG = Catalog.load();
  private static final CharacterSpec DETECTIVE = CATALOG.characters().stream()
      .filter(character -> character.id().equals("detective-sam-keller")).findFirst().orElseThrow();
  private static final UserPrompt PROMPT = DETECTIVE.prompts().get(0);
  private static final int DRAWS = 200;

  private final ReplyComposer composer = new ReplyComposer(CATALOG.phrasebook());
  private final Phrasebook phrases = CATALOG.phrasebook();

  @Test
  void goodRepliesAnswerTheUserInCharacterWithDescriptionKnowledgeFeelingAndAHook() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < DRAWS; i++) {
      String reply = composer.compose(DETECTIVE, PROMPT, uniform(QualityLevel.GOOD), random);

      assertThat(reply).containsAnyOf(PROMPT.answers().toArray(String[]::new));
      assertThat(reply).containsAnyOf(DETECTIVE.sensory().toArray(String[]::new));
      assertThat(reply).containsAnyOf(DETECTIVE.facts().toArray(String[]::new));
      assertThat(reply).containsAnyOf(DETECTIVE.feelings().toArray(String[]::new));
      assertThat(reply).containsAnyOf(DETECTIVE.hooks().toArray(String[]::new));
      assertThat(reply).doesNotContain("AI", "language model", "user", "{");
    }
  }

  @Test
  void poorCharacterConsistencyAloneBreaksCharacterAndChangesNothingElse() {
    SplittableRandom random = new SplittableRandom(2);
    Map<QuestAttribute, QualityLevel> levels = levels(QualityLevel.GOOD);
    levels.put(QuestAttribute.CHARACTER_CONSISTENCY, QualityLevel.POOR);
    for (int i = 0; i < DRAWS; i++) {
      String reply = composer.compose(DETECTIVE, PROMPT, new ConstructedQuality(levels, false), random);

      boolean opensOutOfCharacter = phrases.characterBreakOpenings().stream()
          .map(ReplyComposerTest::filled).anyMatch(reply::startsWith);
      boolean endsOutOfCharacter = phrases.characterBreakEndings().stream()
          .map(ReplyComposerTest::filled).anyMatch(reply::endsWith);
      assertThat(opensOutOfCharacter || endsOutOfCharacter).as(reply).isTrue();
      assertThat(reply).containsAnyOf(DETECTIVE.facts().toArray(String[]::new));
      assertThat(reply).containsAnyOf(DETECTIVE.hooks().toArray(String[]::new));
    }
  }

  @Test
  void poorRepliesIgnoreTheUserGetTheRoleWrongAndDismiss() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < DRAWS; i++) {
      String reply = composer.compose(DETECTIVE, PROMPT, uniform(QualityLevel.POOR), random);

      assertThat(reply).doesNotContain(PROMPT.answers().toArray(String[]::new));
      assertThat(reply).containsAnyOf(DETECTIVE.wrongFacts().toArray(String[]::new));
      assertThat(reply).containsAnyOf(phrases.dismissals().toArray(String[]::new));
      assertThat(reply).containsAnyOf(phrases.flatFeelings().toArray(String[]::new));
      assertThat(reply).doesNotContain(DETECTIVE.sensory().toArray(String[]::new));
    }
  }

  @Test
  void degenerateRepliesComeFromTheDegenerateList() {
    String reply = composer.compose(DETECTIVE, PROMPT, new ConstructedQuality(levels(QualityLevel.POOR), true),
        new SplittableRandom(4));

    assertThat(phrases.degenerateReplies().stream().map(ReplyComposerTest::filled)).contains(reply);
  }

  @Test
  void sameSeedSameReply() {
    ConstructedQuality quality = uniform(QualityLevel.PLAIN);

    assertThat(composer.compose(DETECTIVE, PROMPT, quality, new SplittableRandom(5)))
        .isEqualTo(composer.compose(DETECTIVE, PROMPT, quality, new SplittableRandom(5)));
  }

  private static String filled(String template) {
    return template.replace("{name}", DETECTIVE.name());
  }

  private static ConstructedQuality uniform(QualityLevel level) {
    return new ConstructedQuality(levels(level), false);
  }

  private static Map<QuestAttribute, QualityLevel> levels(QualityLevel level) {
    Map<QuestAttribute, QualityLevel> levels = new EnumMap<>(QuestAttribute.class);
    for (QuestAttribute attribute : QuestAttribute.values()) {
      levels.put(attribute, level);
    }
    return levels;
  }
}
