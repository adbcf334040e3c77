package io.queststream.model.backbone;

import io.queststream.model.config.Pooling;
import io.queststream.model.text.TokenizedTurn;
import java.util.List;

/**
 * Pooling written as weights over positions, so one batched matmul pools every sequence: mean pooling puts 1/n on
 * each token of the span, last-token pooling puts 1 on the span's last token.
 */
final class SpanWeights {

  private SpanWeights() {}

  /** {@code [batch * paddedLength]} weights over the prompt span: the context, or the header when it is empty. */
  static float[] prompt(List<TokenizedTurn> turns, int paddedLength, Pooling pooling) {
    float[] w = new float[turns.size() * paddedLength];
    for (int b = 0; b < turns.size(); b++) {
      TokenizedTurn t = turns.get(b);
      int end = t.contextEnd() > 0 ? t.contextEnd() : t.promptEnd();
      fill(w, b * paddedLength, 0, end, pooling);
    }
    return w;
  }

  /** {@code [batch * paddedLength]} weights over the response span, which runs to the last real token. */
  static float[] response(List<TokenizedTurn> turns, int paddedLength, Pooling pooling) {
    float[] w = new float[turns.size() * paddedLength];
    for (int b = 0; b < turns.size(); b++) {
      TokenizedTurn t = turns.get(b);
      fill(w, b * paddedLength, t.promptEnd(), t.length(), pooling);
    }
    return w;
  }

  private static void fill(float[] w, int row, int from, int to, Pooling pooling) {
    if (pooling == Pooling.LAST_TOKEN) {
      w[row + to - 1] = 1f;
      return;
    }
    float share = 1f / (to - from);
    for (int i = from; i < to; i++) {
      w[row + i] = share;
    }
  }
}
