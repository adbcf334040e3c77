package io.queststream.model.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The roleplay macros of character cards and chats, substituted the way roleplay front ends (SillyTavern, TavernAI)
 * do before anything is rendered: {@code {{char}}} and {@code <BOT>} become the character's name, {@code {{user}}}
 * and {@code <USER>} the user's persona name, matched without regard to case (without a card the character is
 * {@value #DEFAULT_CHARACTER_NAME}, without a persona the user is {@value #DEFAULT_USER_NAME}). This is plain text replacement on
 * data, done once; the names themselves are inserted verbatim and never scanned again, and nothing else in the text
 * has any meaning here or in the chat template.
 */
public final class RoleplayMacros {

  /** The user's name when the conversation names no persona. */
  public static final String DEFAULT_USER_NAME = "User";
  /** The character's name when the turn has no character card. */
  public static final String DEFAULT_CHARACTER_NAME = "Assistant";

  private static final Pattern MACRO = Pattern.compile("\\{\\{(char|user)}}|<(BOT|USER)>", Pattern.CASE_INSENSITIVE);

  private final String characterName;
  private final String userName;

  public RoleplayMacros(String characterName, String userName) {
    this.characterName = characterName == null || characterName.isBlank() ? DEFAULT_CHARACTER_NAME
        : characterName.trim();
    this.userName = userName == null || userName.isBlank() ? DEFAULT_USER_NAME : userName.trim();
  }

  public String substitute(String text) {
    Matcher m = MACRO.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    do {
      String macro = m.group(1) != null ? m.group(1) : m.group(2);
      boolean isChar = macro.equalsIgnoreCase("char") || macro.equalsIgnoreCase("bot");
      m.appendReplacement(out, Matcher.quoteReplacement(isChar ? characterName : userName));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }
}
