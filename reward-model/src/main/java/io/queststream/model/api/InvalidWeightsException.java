package io.queststream.model.api;

/** A weights record that cannot run on this backbone; the message says why. */
public class InvalidWeightsException extends Exception {
  public InvalidWeightsException(String message) {
    super(message);
  }
}
