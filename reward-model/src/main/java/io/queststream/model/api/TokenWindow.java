package io.queststream.model.api;

/**
 * One sequence the backbone reads for a turn, with the positions pooled into the prompt and the response embedding.
 * Spans are {@code [from, to)}; an empty span ({@code from == to}) means the window contributes nothing to that
 * embedding.
 */
public record TokenWindow(long[] ids, int promptFrom, int promptTo, int responseFrom, int responseTo) {

  public TokenWindow {
    if (promptFrom < 0 || promptFrom > promptTo || promptTo > ids.length || responseFrom < 0
        || responseFrom > responseTo || responseTo > ids.length) {
      throw new IllegalArgumentException("window of " + ids.length + " tokens has spans out of range: prompt ["
          + promptFrom + ", " + promptTo + "), response [" + responseFrom + ", " + responseTo + ")");
    }
  }

  public int length() {
    return ids.length;
  }

  public int promptLength() {
    return promptTo - promptFrom;
  }

  public int responseLength() {
    return responseTo - responseFrom;
  }
}
