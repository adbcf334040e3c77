package io.queststream.model.text;

/** The card, the last user turn... even with all history dropped, the turn does not fit the backbone. */
public class TurnTooLongException extends Exception {

  private final int tokens;

  public TurnTooLongException(String turnId, int tokens, int limit) {
    super("turn " + turnId + " needs " + tokens + " tokens with all history dropped; the backbone takes " + limit);
    this.tokens = tokens;
  }

  public int tokens() {
    return tokens;
  }
}
