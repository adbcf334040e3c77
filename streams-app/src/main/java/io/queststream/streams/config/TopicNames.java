package io.queststream.streams.config;

/** Names of the topics the app reads and writes. */
public record TopicNames(String chatTurns, String characterCards, String turnScores, String moderationEvents,
    String turnEmbeddings, String rewardWeights, String turnPreferences, String leaderboards, String policyRatings,
    String driftAlerts, String turnSelections, String moderationPolicies, String deadLetters, String shadowScores) {

  public static TopicNames defaults() {
    return new TopicNames("chat-turns", "character-cards", "turn-scores", "moderation-events", "turn-embeddings",
        "reward-weights", "turn-preferences", "leaderboards", "policy-ratings", "drift-alerts", "turn-selections",
        "moderation-policies", "scoring-dlq", "turn-scores-shadow");
  }
}
