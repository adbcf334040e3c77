package io.queststream.streams.analytics.selections;

/** What the pairing reads, keyed by conversation: a scored reply or a selection (exactly one is set). */
public record SelectionInput(ScoredReply reply, SelectionRecord selection) {

  public static SelectionInput of(ScoredReply reply) {
    return new SelectionInput(reply, null);
  }

  public static SelectionInput of(SelectionRecord selection) {
    return new SelectionInput(null, selection);
  }
}
