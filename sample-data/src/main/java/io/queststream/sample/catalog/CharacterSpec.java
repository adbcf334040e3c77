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
        requireNonEmpty("address", address);
        requireNonEmpty("actions", actions);
        requireNonEmpty("sensory", sensory);
        requireNonEmpty("facts", facts);
        requireNonEmpty("wrongFacts", wrongFacts);
        requireNonEmpty("feelings", feelings);
        requireNonEmpty("hooks", hooks);
        requireNonEmpty("backstory", backstory);
        requireNonEmpty("prompts", prompts);
        tags = List.copyOf(tags);
    }

    private void requireNonEmpty(String field, List<?> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("Character " + id + " needs at least one entry in '" + field + "'");
        }
    }
}
