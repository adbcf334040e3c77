package io.queststream.streams.weights;

/**
 * A weights record the running backbone cannot use. The record itself stays in the weights topic at the given
 * position; the rejection names it instead of copying (up to 25 MB of) its bytes.
 */
public record WeightsRejection(String modelName, long version, String reason, String topic, int partition,
    long offset) {}
