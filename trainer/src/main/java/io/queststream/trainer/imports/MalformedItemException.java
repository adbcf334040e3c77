package io.queststream.trainer.imports;

/** An item that breaks its data set's format; the message is the cause the import counts. */
final class MalformedItemException extends Exception {

  MalformedItemException(String cause) {
    super(cause);
  }
}
