package io.queststream.model.backbone;

import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.api.Truncation;
import io.queststream.model.config.Pooling;
import io.queststream.model.text.TokenizedTurn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Cuts a tokenized turn into the windows the backbone reads, as long-document embedding systems do. A turn that fits
 * one window is one window. A longer one (its reply did not fit, see {@code TurnTokenizer}) is read in several; every
 * window starts with the sequence's lead ({@code [CLS]}, BOS) and ends with its tail ({@code [SEP]}).
 *
 * <p><b>Mean pooling</b> (encoders): the first window holds the context, the assistant header and the start of the
 * reply; further windows cover the rest of the reply, each sharing {@code overlap} tokens with the one before. The
 * response embedding is the token-weighted mean of the reply's tokens over all windows, each token counted once: an
 * overlap is split at its middle, the first half read in the earlier window and the second in the later one, so every
 * counted token has at least half the overlap of context on each side. Counting once (rather than averaging the
 * copies) keeps the embedding the same statistic as the one-window mean the heads were trained on: every token of
 * the reply weighs the same. The tail token counts once, in the last window, as in one window.
 *
 * <p><b>Last-token pooling</b> (decoders): the prompt embedding is read in a window that ends at the last context
 * token (the window holding the prompt boundary; a causal model's state there does not depend on what follows), the
 * response embedding in a window that ends at the reply's last token with as much preceding text as fits. Two
 * windows, whatever the reply's length.
 *
 * <p>More than {@code maxWindows} windows are never read: the reply's text is cut at the end (its closing tokens
 * stay) so that the windows fit the bound, and the turn says {@link Truncation#REPLY_CUT}.
 */
public final class TurnWindows {

  private final String backboneId;
  private final int maxTokens;
  private final int overlap;
  private final int maxWindows;
  private final Pooling pooling;

  public TurnWindows(String backboneId, int maxTokens, int overlap, int maxWindows, Pooling pooling) {
    if (overlap < 0 || overlap >= maxTokens / 2) {
      throw new IllegalArgumentException("window overlap " + overlap + " must be in [0, " + maxTokens / 2 + ")");
    }
    this.backboneId = backboneId;
    this.maxTokens = maxTokens;
    this.overlap = overlap;
    this.maxWindows = maxWindows;
    this.pooling = pooling;
  }

  public PreparedTurn plan(TokenizedTurn turn) {
    Set<Truncation> truncation = EnumSet.noneOf(Truncation.class);
    truncation.addAll(turn.truncation());
    TokenizedTurn fitted = turn;
    List<TokenWindow> windows = windows(fitted);
    if (windows.size() > maxWindows) {
      fitted = cutReply(turn, readableEnd(turn));
      windows = windows(fitted);
      truncation.add(Truncation.REPLY_CUT);
    }
    if (windows.size() > 1) {
      truncation.add(Truncation.REPLY_CHUNKED);
    }
    return new PreparedTurn(turn.turnId(), backboneId, windows, fitted.promptTokens(), fitted.responseTokens(),
        turn.replyTextTokens(), turn.unknownReplyTokens(), truncation);
  }

  private List<TokenWindow> windows(TokenizedTurn t) {
    int promptTo = t.contextEnd() > 0 ? t.contextEnd() : t.promptEnd();
    if (t.length() <= maxTokens) {
      return List.of(new TokenWindow(t.ids(), 0, promptTo, t.promptEnd(), t.length()));
    }
    return pooling == Pooling.LAST_TOKEN ? lastTokenWindows(t, promptTo) : meanWindows(t, promptTo);
  }

  /** The prompt window ends at the prompt's last token; the response window at the sequence's last token. */
  private List<TokenWindow> lastTokenWindows(TokenizedTurn t, int promptTo) {
    long[] ids = t.ids();
    TokenWindow prompt = new TokenWindow(Arrays.copyOf(ids, promptTo), 0, promptTo, 0, 0);
    int from = ids.length - (maxTokens - t.lead());
    long[] window = concat(Arrays.copyOf(ids, t.lead()), Arrays.copyOfRange(ids, from, ids.length));
    int responseFrom = t.lead() + Math.max(0, t.promptEnd() - from);
    return List.of(prompt, new TokenWindow(window, 0, 0, responseFrom, window.length));
  }

  /** Windows over the body (between lead and tail); the reply's tokens counted once, overlaps split in the middle. */
  private List<TokenWindow> meanWindows(TokenizedTurn t, int promptTo) {
    long[] ids = t.ids();
    int lead = t.lead();
    int bodyEnd = ids.length - t.tail();
    List<int[]> bodies = bodies(t, bodyEnd);
    long[] head = Arrays.copyOf(ids, lead);
    long[] tail = Arrays.copyOfRange(ids, bodyEnd, ids.length);
    List<TokenWindow> out = new ArrayList<>(bodies.size());
    for (int w = 0; w < bodies.size(); w++) {
      int from = bodies.get(w)[0];
      int to = bodies.get(w)[1];
      int countFrom = w == 0 ? t.promptEnd() : middle(from, bodies.get(w - 1)[1]);
      int countTo = w == bodies.size() - 1 ? to : middle(bodies.get(w + 1)[0], to);
      long[] window = concat(head, Arrays.copyOfRange(ids, from, to), tail);
      int responseTo = lead + countTo - from + (w == bodies.size() - 1 ? tail.length : 0);
      out.add(new TokenWindow(window, 0, w == 0 ? promptTo : 0, lead + countFrom - from, responseTo));
    }
    return out;
  }

  /** Body ranges [from, to) of the windows: the first from the lead on, later ones over the reply only. */
  private List<int[]> bodies(TokenizedTurn t, int bodyEnd) {
    int capacity = maxTokens - t.lead() - t.tail();
    List<int[]> bodies = new ArrayList<>();
    int from = t.lead();
    int to = Math.min(bodyEnd, from + capacity);
    bodies.add(new int[] {from, to});
    while (to < bodyEnd) {
      from = Math.max(t.promptEnd(), to - overlap);
      to = Math.min(bodyEnd, from + capacity);
      bodies.add(new int[] {from, to});
    }
    return bodies;
  }

  /** The overlap [from, to) split in two: tokens before the middle count in the earlier window. */
  private static int middle(int from, int to) {
    return from + (to - from + 1) / 2;
  }

  /** Where the reply's text must end for the turn to fit {@code maxWindows} windows. */
  private int readableEnd(TokenizedTurn t) {
    int closing = t.length() - t.tail() - t.replyEnd();
    if (pooling == Pooling.LAST_TOKEN || maxWindows == 1) {
      return Math.max(t.promptEnd(), maxTokens - t.tail() - closing);
    }
    int capacity = maxTokens - t.lead() - t.tail();
    int to = t.lead() + capacity;
    for (int w = 1; w < maxWindows; w++) {
      to = Math.max(t.promptEnd(), to - overlap) + capacity;
    }
    return Math.max(t.promptEnd(), to - closing);
  }

  /** The turn with the reply's text cut at {@code end}; what closes the reply stays. */
  private static TokenizedTurn cutReply(TokenizedTurn t, int end) {
    long[] ids = concat(Arrays.copyOf(t.ids(), end), Arrays.copyOfRange(t.ids(), t.replyEnd(), t.length()));
    return new TokenizedTurn(t.turnId(), ids, t.contextEnd(), t.promptEnd(), end, t.lead(), t.tail(),
        t.droppedMessages(), t.truncation(), t.unknownReplyTokens());
  }

  private static long[] concat(long[]... parts) {
    long[] out = new long[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
