package io.queststream.demo.dashboard;

/** Topics the dashboard reads and writes; defaults match the streams app's. */
record DashboardTopics(String chatTurns, String characterCards, String turnScores, String moderationEvents,
    String deadLetters, String rewardWeights, String turnSelections, String turnPreferences,
    String moderationPolicies, String shadowScores) {

  static DashboardTopics defaults() {
    return new DashboardTopics("chat-turns", "character-cards", "turn-scores", "moderation-events", "scoring-dlq",
        "reward-weights", "turn-selections", "turn-preferences", "moderation-policies", "turn-scores-shadow");
  }
}
