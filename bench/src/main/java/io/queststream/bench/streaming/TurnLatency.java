package io.queststream.bench.streaming;

import io.queststream.schemas.TurnScore;

/**
 * One turn's produce→visible time cut where the score itself says: the stream thread stamps {@code scored_at} when
 * it forwards the score and {@code model_latency_ms} is its device batch's model time, so what is left before the
 * forward is waiting (buffer, flush rule, batcher queue, result collection) and what follows is the commit.
 *
 * @param totalMs produce to read_committed visibility
 * @param waitingMs produce to forward, less the model time
 * @param modelMs the turn's device batch on the model
 * @param commitMs forward to visibility: the transaction's commit and the reader's fetch
 * @param batchSize turns in that device batch
 * @param tokens the turn's prompt and response tokens
 */
record TurnLatency(long totalMs, double waitingMs, double modelMs, long commitMs, int batchSize, int tokens) {

  static TurnLatency of(long sentAtMs, TurnScore score, long visibleAtMs) {
    long forwardedAt = score.getScoredAt().toEpochMilli();
    double model = score.getModelLatencyMs();
    return new TurnLatency(visibleAtMs - sentAtMs, forwardedAt - sentAtMs - model, model,
        visibleAtMs - forwardedAt, score.getBatchSize(), score.getPromptTokens() + score.getResponseTokens());
  }
}
