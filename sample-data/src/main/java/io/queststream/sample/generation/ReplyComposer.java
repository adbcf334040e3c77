package io.queststream.sample.generation;

import static io.queststream.sample.QuestAttribute.CHARACTER_CONSISTENCY;
import static io.queststream.sample.QuestAttribute.CONTEXTUAL_ALIGNMENT;
import static io.queststream.sample.QuestAttribute.CREATIVITY_AND_EMOTIONAL_NUANCE;
import static io.queststream.sample.QuestAttribute.DESCRIPTIVE_DEPTH;
import static io.queststream.sample.QuestAttribute.ENGAGEMENT_AND_COLLABORATION;
import static io.queststream.sample.QuestAttribute.ROLE_SPECIFIC_KNOWLEDGE;

import io.queststream.sample.ConstructedQuality;
import io.queststream.sample.QualityLevel;
import io.queststream.sample.catalog.CharacterSpec;
import io.queststream.sample.catalog.Phrasebook;
import io.queststream.sample.catalog.UserPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Writes an assistant reply from one template piece per attribute and level, so that each attribute's quality is
 * visible in the text on its own:
 * <ul>
 *   <li>Contextual Alignment: a specific answer to the user's message / a vague acknowledgement / an answer to
 *       something else;</li>
 *   <li>Character Consistency: the character's own address terms / a modern assistant register / an out-of-character
 *       break ("As an AI language model...");</li>
 *   <li>Descriptive Depth: an action beat and a sensory paragraph / a bare gesture / nothing or a flat statement;</li>
 *   <li>Role-Specific Knowledge: a correct fact of the role / a vague generality / a wrong fact;</li>
 *   <li>Engagement and Collaboration: a question or story hook / a neutral closer / a dismissal;</li>
 *   <li>Creativity and Emotional Nuance: a nuanced emotional line / a generic feeling / a flat cliché.</li>
 * </ul>
 */
final class ReplyComposer {

  private final Phrasebook phrases;

  ReplyComposer(Phrasebook phrases) {
    this.phrases = phrases;
  }

  String compose(CharacterSpec character, UserPrompt prompt, ConstructedQuality quality, SplittableRandom random) {
    if (quality.degenerate()) {
      // Verbatim, lower case and all: sentence-casing "lol idk" would make it look better built than it is.
      return Draw.one(phrases.degenerateReplies(), random).replace("{name}", character.name());
    }
    String address = addressTerm(character, quality.level(CHARACTER_CONSISTENCY), random);
    Filler filler = new Filler(character.name(), address);
    List<String> paragraphs = new ArrayList<>();
    paragraphs.add(opening(character, prompt, quality, random));
    description(character, quality.level(DESCRIPTIVE_DEPTH), random).ifPresent(paragraphs::add);
    paragraphs.add(substance(character, quality, random));
    if (quality.level(CHARACTER_CONSISTENCY) == QualityLevel.POOR) {
      breakCharacter(paragraphs, random);
    }
    return String.join("\n\n", paragraphs.stream().map(filler::fill).toList());
  }

  /** An out-of-character note, either as a preamble to the reply or as a paragraph after it. */
  private void breakCharacter(List<String> paragraphs, SplittableRandom random) {
    if (random.nextBoolean()) {
      paragraphs.add(Draw.one(phrases.characterBreakEndings(), random));
    } else {
      paragraphs.set(0, Draw.one(phrases.characterBreakOpenings(), random) + " " + paragraphs.get(0));
    }
  }

  private String addressTerm(CharacterSpec character, QualityLevel consistency, SplittableRandom random) {
    return switch (consistency) {
      case GOOD -> Draw.one(character.address(), random);
      case PLAIN -> Draw.one(phrases.plainAddress(), random);
      case POOR -> "user";
    };
  }

  /** Action beat, register slip and the answer to the user's message. */
  private String opening(CharacterSpec character, UserPrompt prompt, ConstructedQuality quality,
      SplittableRandom random) {
    List<String> pieces = new ArrayList<>();
    switch (quality.level(DESCRIPTIVE_DEPTH)) {
      case GOOD -> pieces.add(Draw.one(character.actions(), random));
      case PLAIN -> {
        if (random.nextDouble() < 0.6) {
          pieces.add(Draw.one(phrases.plainActions(), random));
        }
      }
      case POOR -> { }
    }
    if (quality.level(CHARACTER_CONSISTENCY) == QualityLevel.PLAIN) {
      pieces.add(Draw.one(phrases.registerSlips(), random));
    }
    pieces.add(switch (quality.level(CONTEXTUAL_ALIGNMENT)) {
      case GOOD -> Draw.one(prompt.answers(), random);
      case PLAIN -> Draw.one(phrases.vagueAnswers(), random);
      case POOR -> offTopicAnswer(character, prompt, random);
    });
    return String.join(" ", pieces);
  }

  /** Answering another question of the same character is the realistic way to ignore the user. */
  private String offTopicAnswer(CharacterSpec character, UserPrompt prompt, SplittableRandom random) {
    if (character.prompts().size() > 1 && random.nextDouble() < 0.6) {
      return Draw.one(Draw.oneOther(character.prompts(), prompt, random).answers(), random);
    }
    return Draw.one(phrases.offTopicAnswers(), random);
  }

  private Optional<String> description(CharacterSpec character, QualityLevel depth, SplittableRandom random) {
    return switch (depth) {
      case GOOD -> Optional.of(Draw.one(character.sensory(), random));
      case PLAIN -> Optional.empty();
      case POOR -> random.nextBoolean()
          ? Optional.of(Draw.one(phrases.flatDescriptions(), random))
          : Optional.empty();
    };
  }

  /** Knowledge and feeling in either order, then the closer that does (or does not) hand the scene back. */
  private String substance(CharacterSpec character, ConstructedQuality quality, SplittableRandom random) {
    String knowledge = switch (quality.level(ROLE_SPECIFIC_KNOWLEDGE)) {
      case GOOD -> Draw.one(character.facts(), random);
      case PLAIN -> Draw.one(phrases.vagueKnowledge(), random);
      case POOR -> Draw.one(character.wrongFacts(), random);
    };
    String feeling = switch (quality.level(CREATIVITY_AND_EMOTIONAL_NUANCE)) {
      case GOOD -> Draw.one(character.feelings(), random);
      case PLAIN -> Draw.one(phrases.plainFeelings(), random);
      case POOR -> Draw.one(phrases.flatFeelings(), random);
    };
    String closer = switch (quality.level(ENGAGEMENT_AND_COLLABORATION)) {
      case GOOD -> Draw.one(character.hooks(), random);
      case PLAIN -> Draw.one(phrases.neutralClosers(), random);
      case POOR -> Draw.one(phrases.dismissals(), random);
    };
    List<String> pieces = random.nextBoolean()
        ? List.of(knowledge, feeling, closer)
        : List.of(feeling, knowledge, closer);
    return String.join(" ", pieces);
  }

  /** Replaces placeholders and restores sentence case where a placeholder opened a sentence. */
  record Filler(String name, String address) {
    String fill(String template) {
      String text = template.replace("{name}", name).replace("{user}", address);
      if (!text.isEmpty() && Character.isLowerCase(text.charAt(0))) {
        text = Character.toUpperCase(text.charAt(0)) + text.substring(1);
      }
      return text;
    }
  }
}
