package io.queststream.model.scoring;

import io.queststream.model.heads.HeadsWeights;

/**
 * What one batch produced for one turn: its embeddings and, when weights were installed, the heads output of the
 * version that ran.
 *
 * @param weights the heads version that produced {@code heads}, null when none was installed
 * @param heads this turn's rewards, gating, coefficients and score, null with {@code weights}
 * @param candidateWeights the candidate version shadowed in the same batch, null when none was installed
 * @param candidateHeads the candidate heads' output on the same embeddings, null with {@code candidateWeights}
 */
record TurnOutput(
    float[] prompt,
    float[] response,
    HeadsWeights weights,
    HeadsOutput heads,
    int batchSize,
    double modelLatencyMs,
    HeadsWeights candidateWeights,
    HeadsOutput candidateHeads) {

  record HeadsOutput(float[] rewards, float[] gating, float[] coefficients, float score) {}
}
