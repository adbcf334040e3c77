package io.queststream.schemas.deadletters;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Cuts a dead letter to fit one record of its topic. A dead letter carries the failed record whole plus headers,
 * so a record that just fit its own topic can be too large for the dead-letter topic; the broker would refuse it,
 * and a refused send dooms the transaction that also holds the record's offset: the record would be processed and
 * refused again for ever, stalling its partition. Cut, the dead letter names the whole record by its source position
 * and says how long the cut parts were.
 *
 * <p>The rule, the same in every app: a key over {@link #MAX_KEY_BYTES} is cut to it, every header value over
 * {@link #MAX_HEADER_BYTES} is cut to it, and a value longer than the limit less {@link #ROOM} is cut to that.
 */
public final class DeadLetterFit {

  /** On a dead letter whose key was cut: the original key's length in bytes. */
  public static final String KEY_CUT_FROM = "quest.error.key-cut-from";
  /** On a dead letter whose value was cut: the original value's length in bytes. */
  public static final String VALUE_CUT_FROM = "quest.error.value-cut-from";
  public static final int MAX_KEY_BYTES = 4096;
  public static final int MAX_HEADER_BYTES = 4096;
  /** Room kept beside the value for the key, up to 14 headers of the largest size, and the record's framing. */
  public static final int ROOM = 64 * 1024;

  private DeadLetterFit() {}

  /** The parts of a dead letter once cut. */
  public record Fitted(byte[] key, byte[] value, Headers headers) {}

  /**
   * @param limitBytes the largest record the dead-letter topic and its producer take (see {@link DeadLetterLimit})
   */
  public static Fitted fit(byte[] key, byte[] value, Headers headers, int limitBytes) {
    RecordHeaders cut = new RecordHeaders();
    if (headers != null) {
      for (Header h : headers) {
        cut.add(h.key(), h.value() == null ? null : prefix(h.value(), MAX_HEADER_BYTES));
      }
    }
    if (key != null && key.length > MAX_KEY_BYTES) {
      cut.add(KEY_CUT_FROM, length(key));
    }
    int valueRoom = Math.max(0, limitBytes - ROOM);
    if (value != null && value.length > valueRoom) {
      cut.add(VALUE_CUT_FROM, length(value));
    }
    return new Fitted(key == null ? null : prefix(key, MAX_KEY_BYTES),
        value == null ? null : prefix(value, valueRoom), cut);
  }

  /** The record, cut as {@link #fit(byte[], byte[], Headers, int)} says. */
  public static ProducerRecord<byte[], byte[]> fit(ProducerRecord<byte[], byte[]> record, int limitBytes) {
    Fitted f = fit(record.key(), record.value(), record.headers(), limitBytes);
    return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), f.key(), f.value(),
        f.headers());
  }

  private static byte[] length(byte[] bytes) {
    return Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] prefix(byte[] bytes, int max) {
    return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
  }
}
