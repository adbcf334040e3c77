package io.queststream.trainer.publish;

import io.queststream.schemas.RewardHeads;
import java.util.Optional;

/** Where published versions live: the reward-weights topic in production. */
public interface WeightsStore {

  Optional<RewardHeads> latest();

  /** Publishes the version and returns the record as published (signed). */
  RewardHeads publish(RewardHeads heads);
}
