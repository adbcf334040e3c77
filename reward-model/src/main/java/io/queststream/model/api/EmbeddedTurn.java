package io.queststream.model.api;

/** Backbone output for one request, before any heads: what the trainer learns from. */
public record EmbeddedTurn(
    String turnId,
    float[] promptEmbedding,
    float[] responseEmbedding,
    int promptTokens,
    int responseTokens,
    boolean truncated) {}
