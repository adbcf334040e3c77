package io.queststream.model.api;

/**
 * A request rendered and tokenized by a scorer ({@link RewardScorer#prepare}), ready for {@link RewardScorer#submit}
 * without tokenizing again. Only the scorer that prepared it can score it.
 */
public interface PreparedTurn {

  String turnId();

  /** Tokens the turn occupies in its device batch (before padding). */
  int tokens();
}
