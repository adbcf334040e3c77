package io.queststream.streams.weights;

import io.queststream.model.api.InvalidWeightsException;

/**
 * A weights record that failed a check. The record itself stays in the weights topic at the given position; the
 * rejection names it instead of copying (up to 25 MB of) its bytes.
 */
public record WeightsRejection(String modelName, long version, InvalidWeightsException.Reason reason, String message,
    String topic, int partition, long offset) {}
