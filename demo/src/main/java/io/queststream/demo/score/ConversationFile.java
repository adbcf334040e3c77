package io.queststream.demo.score;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation to score, as JSON: the character, the messages so far, and one reply ({@code response}) or several
 * alternatives to compare ({@code responses}).
 *
 * <pre>{@code
 * {"character": {"name": "Captain Mara", "persona": "...", "scenario": "..."}, "user_name": "Jon",
 *  "messages": [{"role": "user", "text": "Where are we headed?"}],
 *  "responses": ["Mara grins and taps the chart...", "As an AI language model..."]}
 * }</pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ConversationFile(Character character, @JsonProperty("user_name") String userName, List<Message> messages,
    String response, List<String> responses) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Character(String id, String name, String persona, String scenario) {}

  record Message(String role, String text) {}

  List<ScoringRequest> requests() {
    List<String> replies = new ArrayList<>();
    if (response != null) {
      replies.add(response);
    }
    if (responses != null) {
      replies.addAll(responses);
    }
    if (replies.isEmpty()) {
      throw new IllegalArgumentException("nothing to score: give \"response\" or \"responses\"");
    }
    CharacterProfile profile = character == null ? null : new CharacterProfile(
        character.id() == null ? "cli" : character.id(), nonNull(character.name()), nonNull(character.persona()),
        nonNull(character.scenario()));
    List<ChatMessage> history = messages == null ? List.of()
        : messages.stream().map(m -> new ChatMessage(m.role(), m.text())).toList();
    List<ScoringRequest> out = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      out.add(new ScoringRequest("reply-" + (i + 1), profile, history, replies.get(i), userName));
    }
    return out;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
