package io.queststream.demo.score;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Character(String id, String name, String persona, String scenario) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Message(String role, String text) {}

  /**
   * Reads and checks a conversation, so that a file the model could not score is reported before the model loads.
   *
   * @param name how to call the input in messages (its path, or "stdin")
   * @throws InvalidConversationException naming what is wrong and where
   */
  static ConversationFile read(InputStream in, String name) throws IOException {
    ConversationFile file;
    try {
      file = JSON.readValue(in, ConversationFile.class);
    } catch (MismatchedInputException e) {
      if (e.getPath().isEmpty() && e.getOriginalMessage().startsWith("No content to map")) {
        throw new InvalidConversationException(name + " is empty: expected a conversation as a JSON object", e);
      }
      if (e.getPath().isEmpty()) {
        throw new InvalidConversationException(name + " is not a conversation: expected a JSON object"
            + at(e.getLocation()), e);
      }
      throw new InvalidConversationException(name + " is not a conversation: " + path(e) + " has the wrong type"
          + at(e.getLocation()), e);
    } catch (JsonProcessingException e) {
      throw new InvalidConversationException(name + " is not valid JSON: " + e.getOriginalMessage()
          + at(e.getLocation()), e);
    }
    if (file == null) {
      throw new InvalidConversationException(name + " is empty: expected a conversation as a JSON object");
    }
    file.check(name);
    return file;
  }

  private void check(String name) {
    if (response == null && (responses == null || responses.isEmpty())) {
      throw new InvalidConversationException("nothing to score in " + name + ": give the reply as \"response\", "
          + "or several as \"responses\"");
    }
    List<String> replies = replies();
    for (int i = 0; i < replies.size(); i++) {
      if (replies.get(i) == null || replies.get(i).isBlank()) {
        throw new InvalidConversationException(name + ": " + (response != null && i == 0 ? "\"response\""
            : "\"responses\"[" + (response != null ? i - 1 : i) + "]") + " is empty");
      }
    }
    List<Message> history = messages == null ? List.of() : messages;
    for (int i = 0; i < history.size(); i++) {
      Message m = history.get(i);
      if (m == null || m.role() == null || !ROLES.contains(m.role())) {
        throw new InvalidConversationException(name + ": \"messages\"[" + i + "] needs a \"role\" of user, "
            + "assistant or system" + (m == null || m.role() == null ? "" : ", not '" + m.role() + "'"));
      }
      if (m.text() == null) {
        throw new InvalidConversationException(name + ": \"messages\"[" + i + "] has no \"text\"");
      }
    }
  }

  private List<String> replies() {
    List<String> replies = new ArrayList<>();
    if (response != null) {
      replies.add(response);
    }
    if (responses != null) {
      replies.addAll(responses);
    }
    return replies;
  }

  List<ScoringRequest> requests() {
    List<String> replies = replies();
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

  private static String path(MismatchedInputException e) {
    StringBuilder p = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        p.append(p.length() == 0 ? "" : ".").append('"').append(ref.getFieldName()).append('"');
      } else {
        p.append('[').append(ref.getIndex()).append(']');
      }
    }
    return p.toString();
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  /** A conversation file that cannot be scored, with what is wrong in words. */
  static final class InvalidConversationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidConversationException(String message) {
      super(message);
    }

    InvalidConversationException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
