package io.queststream.model.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How requests become text and token windows.
 *
 * <p>The chat template is code from the model directory; message text is data and never executes, so a render only
 * grows with the data it is given. The render limits stop a template that loops or writes far more text than a turn
 * can hold, and they sit far above what validated input renders to.
 *
 * <p>A reply longer than the backbone's window is read in overlapping windows; the window bound keeps one huge
 * reply from holding the model thread for long (beyond it the reply is cut, and the score says so).
 *
 * @param maxRenderChars most characters one chat-template render may write
 * @param maxRenderTime CPU time one chat-template render may use (its thread's, so a busy machine does not count)
 * @param windowOverlap tokens each window of a long reply shares with the window before it
 * @param maxWindows most windows one turn is read in
 */
public record TextConfig(long maxRenderChars, Duration maxRenderTime, int windowOverlap, int maxWindows) {

  public TextConfig {
    Objects.requireNonNull(maxRenderTime, "maxRenderTime");
    if (maxRenderChars < 1) {
      throw new IllegalArgumentException("maxRenderChars must be positive, was " + maxRenderChars);
    }
    if (maxRenderTime.isNegative() || maxRenderTime.isZero()) {
      throw new IllegalArgumentException("maxRenderTime must be positive, was " + maxRenderTime);
    }
    if (windowOverlap < 0) {
      throw new IllegalArgumentException("windowOverlap must not be negative, was " + windowOverlap);
    }
    if (maxWindows < 1) {
      throw new IllegalArgumentException("maxWindows must be at least 1, was " + maxWindows);
    }
  }

  /**
   * One million characters and two seconds per render (about 60 times the longest text the streams app accepts);
   * windows overlap by 64 tokens, at most 8 per turn (about 3,600 reply tokens with MiniLM's 512 positions).
   */
  public static TextConfig defaults() {
    return new TextConfig(1_000_000, Duration.ofSeconds(2), 64, 8);
  }

  public TextConfig withRenderLimits(long maxChars, Duration maxTime) {
    return new TextConfig(maxChars, maxTime, windowOverlap, maxWindows);
  }

  public TextConfig withWindows(int overlap, int max) {
    return new TextConfig(maxRenderChars, maxRenderTime, overlap, max);
  }
}
