package io.queststream.streams.config;

import java.time.Duration;

/**
 * Live analytics over the app's own outputs: tumbling windows of the leaderboards and policy ratings, the
 * confidence level of their intervals, how far apart a preference and the scores of its turns may be, and the drift
 * detectors.
 */
public record AnalyticsConfig(boolean enabled, Duration windowSize, Duration windowGrace, double confidenceLevel,
    Duration preferenceJoinWindow, DriftConfig drift) {}
