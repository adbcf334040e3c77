package io.queststream.streams.config;

import java.time.Duration;

/**
 * Live analytics over the app's own outputs: tumbling windows of the leaderboards and policy ratings, the
 * confidence level of their intervals, how far apart a preference and the scores of its turns may be, and the drift
 * detectors, and the preference pairs derived from users' selections among regenerations.
 *
 * @param streamThreads the analytics app's own stream threads (its load is a fraction of scoring's)
 * @param commitInterval how often it commits: how late its outputs become visible to read_committed readers, and
 *     how many transactions it costs the broker
 */
public record AnalyticsConfig(boolean enabled, Duration windowSize, Duration windowGrace, double confidenceLevel,
    Duration preferenceJoinWindow, DriftConfig drift, SelectionsConfig selections, int streamThreads,
    Duration commitInterval) {}
