package io.queststream.model.backbone;

import ai.djl.ndarray.NDArray;

/**
 * Backbone output for one batch: prompt and response embeddings, {@code [batch, dim]} float32 PyTorch arrays on the
 * backbone's device, attached to the batch's manager (closed with it).
 */
public record PooledBatch(NDArray prompt, NDArray response) {}
