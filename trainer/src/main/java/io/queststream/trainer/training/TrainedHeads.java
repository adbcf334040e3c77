package io.queststream.trainer.training;

import io.queststream.trainer.gating.GatingNetwork;
import io.queststream.trainer.ridge.RidgeFit;
import io.queststream.trainer.transform.VerbosityDebiaser;
import java.util.List;

/** The outcome of one two-stage run, before it becomes a versioned weights record. */
public record TrainedHeads(List<String> attributes, RidgeFit ridge, VerbosityDebiaser.Transform transform,
    GatingNetwork gating, VerbositySignal verbosity, double[] lossCurve, double gatingStepsPerSecond,
    long ratingRows, int pairs) {}
