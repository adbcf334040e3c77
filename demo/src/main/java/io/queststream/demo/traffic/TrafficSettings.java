package io.queststream.demo.traffic;

/**
 * How the traffic generator paces and shapes what it sends.
 *
 * @param driftAfter turns after which {@code driftCharacter}'s replies degrade (0: never)
 */
record TrafficSettings(String turnsTopic, String cardsTopic, String ratingsTopic, String preferencesTopic,
    String selectionsTopic,
    double turnsPerSecond, int concurrentConversations, int badEvery, long maxTurns, boolean loop, boolean feedback,
    long driftAfter, String driftCharacter) {}
