package io.queststream.streams.config;

import java.time.Duration;

/**
 * Page-Hinkley drift detectors, one per policy model or character and attribute.
 *
 * @param delta change of the mean (rating scale) tolerated without an alert
 * @param threshold cumulative deviation (lambda) that raises an alert
 * @param minObservations scores a detector must have seen before it may raise an alert
 * @param idleExpiry a key's detectors are forgotten after this much idle time
 * @param expiryScanInterval how often idle keys are looked for
 */
public record DriftConfig(double delta, double threshold, int minObservations, Duration idleExpiry,
    Duration expiryScanInterval) {}
