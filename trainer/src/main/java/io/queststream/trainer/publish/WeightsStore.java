package io.queststream.trainer.publish;

import io.queststream.schemas.RewardHeads;
import java.util.Optional;

/** Where published versions live: the reward-weights topic in production. */
public interface WeightsStore {

  Optional<RewardHeads> latest();

  /** Publishes the version and returns the record as published (signed). */
  RewardHeads publish(RewardHeads heads);

  /**
   * Publishes the version as a candidate, shadowed by the scorers on live traffic until it is promoted or discarded
   * (docs/shadow.md), and returns the record as published (signed, status candidate).
   */
  default RewardHeads publishCandidate(RewardHeads heads) {
    throw new UnsupportedOperationException("this store does not shadow candidates");
  }

  /** The candidate the scorers shadow now, empty when none. */
  default Optional<RewardHeads> candidate() {
    return Optional.empty();
  }
}
