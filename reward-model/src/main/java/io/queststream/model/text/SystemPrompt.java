package io.queststream.model.text;

import io.queststream.model.api.CharacterProfile;
import java.util.Optional;

/**
 * The system message built from a character card: who the assistant plays, their persona and the scene. The card's
 * roleplay macros are substituted; its name is written as given.
 */
public final class SystemPrompt {

  private SystemPrompt() {}

  public static Optional<String> of(CharacterProfile character, RoleplayMacros macros) {
    if (character == null) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    if (notBlank(character.name())) {
      sb.append("You are ").append(character.name().trim()).append('.');
    }
    if (notBlank(character.persona())) {
      appendLine(sb, "Persona: " + macros.substitute(character.persona().trim()));
    }
    if (notBlank(character.scenario())) {
      appendLine(sb, "Scenario: " + macros.substitute(character.scenario().trim()));
    }
    return sb.length() == 0 ? Optional.empty() : Optional.of(sb.toString());
  }

  private static void appendLine(StringBuilder sb, String line) {
    if (sb.length() > 0) {
      sb.append('\n');
    }
    sb.append(line);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
