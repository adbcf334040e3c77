package io.queststream.streams.topology;

/** One message kept in a conversation's history, with its token count as the scorer measured it. */
public record HistoryMessage(String turnId, String role, String text, int tokens) {}
