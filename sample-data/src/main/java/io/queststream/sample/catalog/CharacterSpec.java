package io.queststream.sample.catalog;

import java.util.List;

/**
 * One character of the catalog: the card fields plus the vocabulary its replies are built from. Good pieces
 * ({@code actions}, {@code sensory}, {@code facts}, {@code feelings}, {@code hooks}) are written in the character's
 * voice; {@code wrongFacts} are plausible-sounding mistakes about the role. {@code {user}} in any piece is replaced
 * by how the speaker addresses the user.
 */
public record CharacterSpec(
    String id,
    String name,
    List<String> tags,
    String persona,
    String scenario,
    String greeting,
    String exampleDialogue,
    List<String> address,
    List<String> actions,
    List<String> sensory,
    List<String> facts,
    List<String> wrongFacts,
    List<String> feelings,
    List<String> hooks,
    List<String> backstory,
    List<UserPrompt> prompts) {

  public CharacterSpec {
    requireText(id, "id", id);
    requireText(id, "name", name);
    requireText(id, "persona", persona);
    requireText(id, "scenario", scenario);
    requireText(id, "greeting", greeting);
    requireNonEmpty(id, "address", address);
    requireNonEmpty(id, "actions", actions);
    requireNonEmpty(id, "sensory", sensory);
    requireNonEmpty(id, "facts", facts);
    requireNonEmpty(id, "wrongFacts", wrongFacts);
    requireNonEmpty(id, "feelings", feelings);
    requireNonEmpty(id, "hooks", hooks);
    requireNonEmpty(id, "backstory", backstory);
    requireNonEmpty(id, "prompts", prompts);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  private static void requireText(String id, String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Character " + id + " needs a non-blank '" + field + "'");
    }
  }

  private static void requireNonEmpty(String id, String field, List<?> values) {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("Character " + id + " needs at least one entry in '" + field + "'");
    }
  }
}
