package io.queststream.model.backbone;

import io.queststream.model.api.PreparedTurn;
import io.queststream.model.api.TokenWindow;
import io.queststream.model.config.Pooling;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Pooling written as weights over positions, so one batched matmul pools every window of every turn: mean pooling
 * puts 1/n on each of the turn's n span tokens, wherever its windows hold them; last-token pooling puts 1 on the span's
 * last token in the turn's last window that holds the span. Summing a turn's window rows then gives its embedding.
 */
final class SpanWeights {

  private SpanWeights() {}

  /** {@code [windows * paddedLength]} weights over the prompt spans, windows in turn order. */
  static float[] prompt(List<PreparedTurn> turns, int windows, int paddedLength, Pooling pooling) {
    return weights(turns, windows, paddedLength, pooling, TokenWindow::promptFrom, TokenWindow::promptTo);
  }

  /** {@code [windows * paddedLength]} weights over the response spans, windows in turn order. */
  static float[] response(List<PreparedTurn> turns, int windows, int paddedLength, Pooling pooling) {
    return weights(turns, windows, paddedLength, pooling, TokenWindow::responseFrom, TokenWindow::responseTo);
  }

  private static float[] weights(List<PreparedTurn> turns, int windows, int paddedLength, Pooling pooling,
      ToIntFunction<TokenWindow> from, ToIntFunction<TokenWindow> to) {
    float[] w = new float[windows * paddedLength];
    int row = 0;
    for (PreparedTurn t : turns) {
      List<TokenWindow> ws = t.windows();
      if (pooling == Pooling.LAST_TOKEN) {
        for (int i = ws.size() - 1; i >= 0; i--) {
          TokenWindow window = ws.get(i);
          if (to.applyAsInt(window) > from.applyAsInt(window)) {
            w[(row + i) * paddedLength + to.applyAsInt(window) - 1] = 1f;
            break;
          }
        }
      } else {
        int total = ws.stream().mapToInt(window -> to.applyAsInt(window) - from.applyAsInt(window)).sum();
        float share = 1f / total;
        for (int i = 0; i < ws.size(); i++) {
          TokenWindow window = ws.get(i);
          for (int p = from.applyAsInt(window); p < to.applyAsInt(window); p++) {
            w[(row + i) * paddedLength + p] = share;
          }
        }
      }
      row += ws.size();
    }
    return w;
  }
}
