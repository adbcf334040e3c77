package io.queststream.streams.analytics.observation;

/**
 * One policy model or one character: the grouping key of the analytics, written {@code <dimension tag>/<key>}. The
 * tag has no '/', so the first '/' separates the two even when a model name contains one ("org/model").
 */
public record DimensionKey(Dimension dimension, String key) {

  private static final char SEPARATOR = '/';

  public static DimensionKey parse(String text) {
    int cut = text.indexOf(SEPARATOR);
    if (cut < 0) {
      throw new IllegalArgumentException("not a dimension key: " + text);
    }
    Dimension d = Dimension.ofTag(text.substring(0, cut))
        .orElseThrow(() -> new IllegalArgumentException("unknown dimension in " + text));
    return new DimensionKey(d, text.substring(cut + 1));
  }

  /** The key of this group's record for the window starting at {@code windowStartMs}: the number is the last part. */
  public String windowKey(long windowStartMs) {
    return this + String.valueOf(SEPARATOR) + windowStartMs;
  }

  @Override
  public String toString() {
    return dimension.tag() + SEPARATOR + key;
  }
}
