package io.queststream.model.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on turning a request into text. The chat template is code from the model directory; message text is data
 * and never executes, so a render only grows with the data it is given. The limits stop a template that loops or
 * produces far more text than a turn can hold, and they sit far above what validated input renders to.
 *
 * @param maxRenderChars most characters one chat-template render may write
 * @param maxRenderTime longest one chat-template render may run
 */
public record TextConfig(long maxRenderChars, Duration maxRenderTime) {

  public TextConfig {
    Objects.requireNonNull(maxRenderTime, "maxRenderTime");
    if (maxRenderChars < 1) {
      throw new IllegalArgumentException("maxRenderChars must be positive, was " + maxRenderChars);
    }
    if (maxRenderTime.isNegative() || maxRenderTime.isZero()) {
      throw new IllegalArgumentException("maxRenderTime must be positive, was " + maxRenderTime);
    }
  }

  /** One million characters and two seconds per render: about 60 times the longest text the streams app accepts. */
  public static TextConfig defaults() {
    return new TextConfig(1_000_000, Duration.ofSeconds(2));
  }

  public TextConfig withRenderLimits(long maxChars, Duration maxTime) {
    return new TextConfig(maxChars, maxTime);
  }
}
