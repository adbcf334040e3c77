package io.queststream.streams.errors;

/**
 * A source record's value after decoding: the value, or the bytes that did not decode and why.
 *
 * @param value the decoded value (null for a record without one, or when decoding failed)
 * @param raw the bytes as read, kept for the dead letter when decoding failed
 * @param failure why the bytes did not decode, or null
 */
public record DecodedValue<V>(V value, byte[] raw, DeadLetterHeaders.Cause failure) {

  public static <V> DecodedValue<V> of(V value) {
    return new DecodedValue<>(value, null, null);
  }

  public static <V> DecodedValue<V> undecodable(byte[] raw, DeadLetterHeaders.Cause failure) {
    return new DecodedValue<>(null, raw, failure);
  }

  public boolean failed() {
    return failure != null;
  }
}
