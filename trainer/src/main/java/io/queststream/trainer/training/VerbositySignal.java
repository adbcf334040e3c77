package io.queststream.trainer.training;

/**
 * What the debiasing transform decorrelates the objectives from: response length in tokens (default), one of the
 * attributes, or nothing (T = I).
 */
public record VerbositySignal(String name) {

  public static final VerbositySignal RESPONSE_TOKENS = new VerbositySignal("response_tokens");
  public static final VerbositySignal NONE = new VerbositySignal("none");

  /** Parses "response_tokens", "none" or "attribute:NAME". */
  public static VerbositySignal parse(String text) {
    if (text.equals(RESPONSE_TOKENS.name) || text.equals(NONE.name)
        || (text.startsWith("attribute:") && text.length() > "attribute:".length())) {
      return new VerbositySignal(text);
    }
    throw new IllegalArgumentException(
        "verbosity signal must be response_tokens, none or attribute:<name>, was '" + text + "'");
  }

  public boolean isAttribute() {
    return name.startsWith("attribute:");
  }

  public String attributeName() {
    return name.substring("attribute:".length());
  }
}
