package io.queststream.trainer.training;

import java.util.Map;

/**
 * An optional stage after the two regular ones that adjusts trained heads before they are evaluated and gated
 * (calibration uses one); it reports what it did as training-summary entries.
 */
@FunctionalInterface
public interface HeadsRefinement {

  /** Leaves the heads as trained. */
  HeadsRefinement NONE = (heads, reference) -> new Refined(heads, Map.of());

  /** Heads after the stage, and the entries it adds to the version's training summary. */
  record Refined(TrainedHeads heads, Map<String, String> summary) {}

  /** @param reference the training side's responses, as the debiasing transform saw them */
  Refined refine(TrainedHeads heads, ReferenceSet reference);
}
