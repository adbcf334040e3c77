package io.queststream.model.api;

/** Identity of the heads a scorer is running. */
public record WeightsVersion(String modelName, long version, String backboneId) {}
