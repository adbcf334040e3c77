package io.queststream.trainer.calibration;

/** Calibration of one policy model against the reference model on their shared prompts. */
public record ModelCalibration(String model, String reference, int sharedPrompts, double expectedWinRate,
    double observedWinRate, double mismatchDegree, double offset, int relabelledPairs) {}
