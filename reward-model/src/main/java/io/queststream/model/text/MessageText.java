package io.queststream.model.text;

import java.util.Arrays;

/**
 * Text the chat template wrote, with the character ranges that are message content (data) rather than template
 * structure. Only structure may hold the model's special tokens.
 *
 * @param contentSpans start/end pairs, ascending; empty for pure template text
 */
record MessageText(String text, int[] contentSpans) {

  /** Marks the start of message content in a render; a Unicode noncharacter, reserved for internal use. */
  static final char OPEN = '\uFDD0';
  /** Marks the end of message content in a render. */
  static final char CLOSE = '\uFDD1';

  static MessageText structure(String text) {
    return new MessageText(text, new int[0]);
  }

  /**
   * Message content marked for a render: the markers go around the content inside its outer whitespace, so that a
   * template's {@code trim} writes what it would write without them. Marker characters in the content itself are
   * dropped: they are noncharacters, never meaningful text.
   */
  static String mark(String content) {
    String clean = content.indexOf(OPEN) < 0 && content.indexOf(CLOSE) < 0 ? content
        : content.replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "");
    int from = 0;
    while (from < clean.length() && isSpace(clean.charAt(from))) {
      from++;
    }
    int to = clean.length();
    while (to > from && isSpace(clean.charAt(to - 1))) {
      to--;
    }
    return clean.substring(0, from) + OPEN + clean.substring(from, to) + CLOSE + clean.substring(to);
  }

  /**
   * The render with its markers taken out and their positions kept.
   *
   * @throws TemplateRenderException when the markers do not pair up (the template cut or reordered message text)
   */
  static MessageText unmark(String rendered) {
    StringBuilder text = new StringBuilder(rendered.length());
    int[] spans = new int[8];
    int count = 0;
    boolean inside = false;
    for (int i = 0; i < rendered.length(); i++) {
      char c = rendered.charAt(i);
      if (c == OPEN || c == CLOSE) {
        if ((c == OPEN) == inside) {
          throw new TemplateRenderException(false, "the chat template does not write message text whole");
        }
        if (count == spans.length) {
          spans = Arrays.copyOf(spans, count * 2);
        }
        spans[count++] = text.length();
        inside = !inside;
      } else {
        text.append(c);
      }
    }
    if (inside) {
      throw new TemplateRenderException(false, "the chat template does not write message text whole");
    }
    return new MessageText(text.toString(), Arrays.copyOf(spans, count));
  }

  /** Where the first content starts, or the text's end when it holds none. */
  int contentStart() {
    return contentSpans.length == 0 ? text.length() : contentSpans[0];
  }

  /** Where the last content ends, or the text's end when it holds none. */
  int contentEnd() {
    return contentSpans.length == 0 ? text.length() : contentSpans[contentSpans.length - 1];
  }

  boolean isContent(int from, int to) {
    for (int i = 0; i < contentSpans.length; i += 2) {
      if (from < contentSpans[i + 1] && to > contentSpans[i]) {
        return true;
      }
    }
    return false;
  }

  /** Whitespace in the widest sense any template's trim strips (Python's str.strip included). */
  private static boolean isSpace(char c) {
    return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }
}
