package io.queststream.model.text;

/**
 * A scored turn as token ids, with the spans the backbone pools over.
 *
 * <p>Tokens {@code [0, contextEnd)} are the conversation before the response (card and kept history, possibly
 * empty; for Llama-3 the last one is the {@code <|eot_id|>} closing the last user turn), {@code [contextEnd,
 * promptEnd)} the assistant header the template adds, {@code [promptEnd, length)} the response with its closing
 * tokens.
 *
 * @param droppedMessages history messages left out to fit the context budget, oldest first
 */
public record TokenizedTurn(String turnId, long[] ids, int contextEnd, int promptEnd, int droppedMessages) {

  public TokenizedTurn {
    if (contextEnd < 0 || contextEnd > promptEnd || promptEnd >= ids.length) {
      throw new IllegalArgumentException("turn " + turnId + " has inconsistent spans: context end " + contextEnd
          + ", prompt end " + promptEnd + ", length " + ids.length);
    }
  }

  public int length() {
    return ids.length;
  }

  public boolean truncated() {
    return droppedMessages > 0;
  }

  public int promptTokens() {
    return promptEnd;
  }

  public int responseTokens() {
    return ids.length - promptEnd;
  }
}
