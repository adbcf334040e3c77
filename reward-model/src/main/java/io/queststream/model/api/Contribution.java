package io.queststream.model.api;

/** An attribute's share of the score: contribution = reward * coefficient. */
public record Contribution(String attribute, float reward, float coefficient, float contribution) {}
