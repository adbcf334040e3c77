package io.queststream.streams.topology;

import io.queststream.model.text.VisibleText;
import io.queststream.schemas.ChatTurn;
import io.queststream.streams.topology.TurnRejection.Reason;
import java.util.Optional;
import java.util.Set;

/**
 * Domain rules a chat turn must meet before it touches history or the model. Text must show something: text made
 * only of zero-width, BOM, NBSP, NUL or stray combining characters is as empty as no text ({@link VisibleText}). An
 * unknown character is not a rejection: the turn is scored without a card and flagged character_missing (a card
 * published late should not lose the conversation's scores).
 */
public final class TurnValidator {

  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  private static final Set<String> ROLES = Set.of(SYSTEM, USER, ASSISTANT);

  private final int maxTextChars;

  public TurnValidator(int maxTextChars) {
    this.maxTextChars = maxTextChars;
  }

  public Optional<TurnRejection> validate(String key, ChatTurn turn) {
    if (turn == null) {
      return reject(Reason.NULL_VALUE, "record has no value");
    }
    if (isBlank(turn.getTurnId())) {
      return reject(Reason.MISSING_TURN_ID, "turn_id is empty");
    }
    if (isBlank(turn.getConversationId())) {
      return reject(Reason.MISSING_CONVERSATION_ID, "turn " + turn.getTurnId() + " has an empty conversation_id");
    }
    if (!turn.getConversationId().equals(key)) {
      return reject(Reason.KEY_MISMATCH, "turn " + turn.getTurnId() + " is keyed '" + key
          + "' but belongs to conversation '" + turn.getConversationId() + "'");
    }
    if (!ROLES.contains(turn.getRole())) {
      return reject(Reason.UNKNOWN_ROLE, "turn " + turn.getTurnId() + " has unknown role '" + turn.getRole()
          + "' (expected one of system, user, assistant)");
    }
    if (VisibleText.isEmpty(turn.getText())) {
      return reject(Reason.EMPTY_TEXT, "turn " + turn.getTurnId() + " has no visible text (only format, control, "
          + "whitespace or stray combining characters, if any)");
    }
    if (turn.getText().length() > maxTextChars) {
      return reject(Reason.OVERSIZED_TEXT, "turn " + turn.getTurnId() + " has " + turn.getText().length()
          + " characters, the limit is " + maxTextChars);
    }
    return Optional.empty();
  }

  private static Optional<TurnRejection> reject(Reason reason, String message) {
    return Optional.of(new TurnRejection(reason, message));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
