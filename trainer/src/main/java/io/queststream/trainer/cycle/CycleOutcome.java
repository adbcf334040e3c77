package io.queststream.trainer.cycle;

import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.promotion.PromotionDecision;
import io.queststream.trainer.training.TrainedHeads;
import java.nio.file.Path;

/** What one training run produced: the candidate, its evaluation, the gate's decision and where the report is. */
public record CycleOutcome(TrainedHeads heads, RewardHeads candidate, Evaluation evaluation, Evaluation current,
    PromotionDecision decision, long publishedVersion, Path report) {}
