package io.queststream.model.text;

import io.queststream.model.api.Truncation;
import java.util.Set;

/**
 * A scored turn as one token sequence, with the spans the backbone pools over. It may be longer than the backbone's
 * window: the backbone then reads it in windows ({@code backbone.TurnWindows}).
 *
 * <p>Tokens {@code [0, contextEnd)} are the conversation before the response (card and kept history, possibly
 * empty; for Llama-3 the last one is the {@code <|eot_id|>} closing the last user turn), {@code [contextEnd,
 * promptEnd)} the assistant header the template adds, {@code [promptEnd, replyEnd)} the reply's own text and
 * {@code [replyEnd, length)} what closes it (the template's end-of-turn tokens, the tokenizer's {@code [SEP]}).
 *
 * @param lead tokens at the start that every window of the sequence starts with (the tokenizer's {@code [CLS]}, the
 *     template's BOS token)
 * @param tail tokens at the end that every window ends with (the tokenizer's {@code [SEP]})
 * @param droppedMessages history messages left out to fit the context budget, oldest first
 * @param truncation what was cut from the conversation to fit (history, card)
 * @param unknownReplyTokens tokens of the reply's text the tokenizer could not read (its unknown token)
 */
public record TokenizedTurn(String turnId, long[] ids, int contextEnd, int promptEnd, int replyEnd, int lead, int tail,
    int droppedMessages, Set<Truncation> truncation, int unknownReplyTokens) {

  public TokenizedTurn {
    if (contextEnd < 0 || contextEnd > promptEnd || promptEnd > replyEnd || replyEnd > ids.length - tail
        || promptEnd >= ids.length || lead > promptEnd || tail < 0) {
      throw new IllegalArgumentException("turn " + turnId + " has inconsistent spans: context end " + contextEnd
          + ", prompt end " + promptEnd + ", reply end " + replyEnd + ", lead " + lead + ", tail " + tail
          + ", length " + ids.length);
    }
    truncation = Truncation.ordered(truncation);
  }

  public int length() {
    return ids.length;
  }

  public boolean truncated() {
    return !truncation.isEmpty();
  }

  public int promptTokens() {
    return promptEnd;
  }

  public int responseTokens() {
    return ids.length - promptEnd;
  }

  /** Tokens of the reply's own text, without the tokens that close it. */
  public int replyTextTokens() {
    return replyEnd - promptEnd;
  }
}
