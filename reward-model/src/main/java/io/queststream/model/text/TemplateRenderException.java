package io.queststream.model.text;

/**
 * The chat template could not render a conversation: the template failed on it, or the render ran past its size or
 * time limit. Either way the same conversation fails the same way again.
 */
public class TemplateRenderException extends RuntimeException {

  private final boolean limitExceeded;

  public TemplateRenderException(boolean limitExceeded, String message) {
    super(message);
    this.limitExceeded = limitExceeded;
  }

  /** True when a render limit (output size, render time) stopped the render. */
  public boolean limitExceeded() {
    return limitExceeded;
  }
}
