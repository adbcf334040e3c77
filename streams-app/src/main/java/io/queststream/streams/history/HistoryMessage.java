package io.queststream.streams.history;

/**
 * One message kept in a conversation's history, with the tokens of its text as the scorer counts a message alone.
 *
 * @param parentTurnId the turn this one answers or follows, when the producer links turns (null otherwise)
 */
public record HistoryMessage(String turnId, String role, String text, int tokens, String parentTurnId) {}
