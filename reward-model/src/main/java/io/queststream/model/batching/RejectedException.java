package io.queststream.model.batching;

/** The batcher did not take a request: its queue stayed full past the submit timeout, or it is closed. */
public class RejectedException extends Exception {
  public RejectedException(String message) {
    super(message);
  }
}
