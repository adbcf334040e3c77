package io.queststream.model.text;

/**
 * Whether text shows anything. Text made only of format characters (zero-width spaces and joiners, the BOM, soft
 * hyphens: Unicode category Cf), control characters (NUL, BEL, ...: Cc), spaces of any kind (NBSP, em space, line and
 * paragraph separators: Z*) and combining marks with nothing to combine with (M*) renders as nothing, however many
 * code points it has. Such a reply cannot be judged, and scoring it would hand out a constant score a chat model could
 * learn to farm.
 */
public final class VisibleText {

  private VisibleText() {}

  public static boolean isEmpty(String text) {
    if (text == null) {
      return true;
    }
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (!invisible(Character.getType(cp))) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  private static boolean invisible(int type) {
    return switch (type) {
      case Character.FORMAT, Character.CONTROL, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR, Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK,
          Character.ENCLOSING_MARK -> true;
      default -> false;
    };
  }
}
