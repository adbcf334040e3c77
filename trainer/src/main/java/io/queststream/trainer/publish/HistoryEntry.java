package io.queststream.trainer.publish;

import java.util.List;
import java.util.Map;

/**
 * One line of the local version history: a published version (promoted, rollback, manual) or a rejected candidate
 * (version 0: candidates that fail the gate never take a version number).
 */
public record HistoryEntry(long version, Long parentVersion, String status, long createdAtMillis,
    Map<String, Double> metrics, Map<String, String> summary, List<String> reasons, String weightsFile) {}
