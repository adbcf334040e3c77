package io.queststream.streams.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers of dead-letter records. The app's own dead letters use the same names as Kafka Streams' built-in
 * dead-letter queue (exception, message, stack trace, source topic/partition/offset) so one consumer reads both, plus
 * a kind and a machine-readable reason.
 */
public final class DeadLetterHeaders {

  public static final String EXCEPTION = "__streams.errors.exception";
  public static final String MESSAGE = "__streams.errors.message";
  public static final String STACKTRACE = "__streams.errors.stacktrace";
  public static final String TOPIC = "__streams.errors.topic";
  public static final String PARTITION = "__streams.errors.partition";
  public static final String OFFSET = "__streams.errors.offset";
  public static final String KIND = "quest.errors.kind";
  public static final String REASON = "quest.errors.reason";

  private DeadLetterHeaders() {}

  /** The cause of a dead letter, in the words its headers will carry. */
  public record Cause(DeadLetterKind kind, String reason, String message, Throwable exception) {

    public static Cause of(DeadLetterKind kind, String reason, String message) {
      return new Cause(kind, reason, message, null);
    }
  }

  /** Where the failed record came from, when known. */
  public record Source(String topic, int partition, long offset) {}

  public static Headers build(Cause cause, Source source) {
    Headers h = new RecordHeaders();
    put(h, KIND, cause.kind().tag());
    put(h, REASON, cause.reason());
    put(h, MESSAGE, cause.message());
    put(h, EXCEPTION, cause.exception() == null ? cause.reason() : cause.exception().getClass().getName());
    if (cause.exception() != null) {
      StringWriter trace = new StringWriter();
      cause.exception().printStackTrace(new PrintWriter(trace));
      put(h, STACKTRACE, trace.toString());
    }
    if (source != null) {
      put(h, TOPIC, source.topic());
      put(h, PARTITION, Integer.toString(source.partition()));
      put(h, OFFSET, Long.toString(source.offset()));
    }
    return h;
  }

  public static String text(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void put(Headers h, String name, String value) {
    if (value != null) {
      h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
