package io.queststream.model.api;

import java.util.List;
import java.util.Set;

/**
 * A scoring request tokenized, fitted and cut into the backbone's windows: what the model reads, nothing left to
 * render or tokenize. {@link RewardScorer#prepare} makes it on the caller's thread; {@link RewardScorer#scorePrepared}
 * or {@link RewardScorer#submit} scores it later, e.g. after it waited in a micro-batch buffer. It is plain data (ids and spans) and serialises as
 * such; it is valid only for the backbone it names.
 *
 * @param promptTokens tokens of the context and the assistant header
 * @param responseTokens tokens of the reply, counted once, with the tokens that close it
 * @param replyTextTokens tokens of the reply's own text, before any cut
 * @param unknownReplyTokens tokens of the reply's text the tokenizer could not read
 * @param truncation what was cut or split to fit the backbone
 */
public record PreparedTurn(String turnId, String backboneId, List<TokenWindow> windows, int promptTokens,
    int responseTokens, int replyTextTokens, int unknownReplyTokens, Set<Truncation> truncation) {

  public PreparedTurn {
    windows = List.copyOf(windows);
    truncation = Truncation.ordered(truncation);
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("turn " + turnId + " has no windows");
    }
  }

  /** What the backbone reads for this turn: the tokens of all its windows (overlaps counted in each). */
  public int tokens() {
    return windows.stream().mapToInt(TokenWindow::length).sum();
  }

  public int longestWindow() {
    return windows.stream().mapToInt(TokenWindow::length).max().orElse(0);
  }

  /**
   * Share of the reply's text the tokenizer could not read. A reply that gets here shows something (empty and
   * invisible replies are refused), so text it reads as no token at all was not read: a BERT tokenizer drops
   * private-use code points, and such a reply would otherwise be scored as an empty one, unflagged.
   */
  public float unknownShare() {
    return replyTextTokens == 0 ? 1f : (float) unknownReplyTokens / replyTextTokens;
  }
}
