package io.queststream.trainer.training;

import java.util.List;
import java.util.Map;

/**
 * An optional stage after the two regular ones that adjusts trained heads before they are evaluated and gated
 * (calibration uses one); it reports what it did as training-summary entries.
 */
@FunctionalInterface
public interface HeadsRefinement {

  /** Leaves the heads as trained. */
  HeadsRefinement NONE = (heads, pairs, reference) -> new Refined(heads, Map.of());

  /** Heads after the stage, and the entries it adds to the version's training summary. */
  record Refined(TrainedHeads heads, Map<String, String> summary) {}

  Refined refine(TrainedHeads heads, List<TrainingPair> pairs, ReferenceSet reference);
}
