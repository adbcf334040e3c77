package io.queststream.streams.weights;

/** Told about every rejected weights record (the app publishes it to the dead-letter topic). */
@FunctionalInterface
public interface WeightsRejectionListener {
  void rejected(WeightsRejection rejection);
}
