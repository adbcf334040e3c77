package io.queststream.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that could not be written to or read from the Confluent wire format. The {@link Reason} lets a caller
 * (for example a Kafka Streams exception handler) route the record, e.g. to a dead-letter topic, without parsing
 * the message; the message names the topic, the schema id when known, and what was wrong.
 */
public class SerdeException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, from the point of view of someone deciding what to do with the record. */
  public enum Reason {
    /** Fewer bytes than the 5-byte header (magic byte + schema id). */
    TRUNCATED_FRAME,
    /** The first byte is not the Confluent magic byte 0: the record was not written by a registry serde. */
    BAD_MAGIC_BYTE,
    /** The registry does not know the schema id in the header. */
    UNKNOWN_SCHEMA_ID,
    /** The registry could not be reached or answered with a server error; retrying later may succeed. */
    REGISTRY_UNAVAILABLE,
    /** The registry refused the client's credentials or rights (401/403); retrying once access is fixed succeeds. */
    REGISTRY_NOT_AUTHORISED,
    /** The writer schema cannot be resolved against the reader schema (or is none of the types a serde reads). */
    INCOMPATIBLE_SCHEMA,
    /** The Avro body does not decode under its writer schema, or bytes are left over after the record. */
    CORRUPT_PAYLOAD,
    /**
     * The writer schema could not be registered: rejected by the registry, or not registered while
     * auto-registration is off.
     */
    REGISTRATION_FAILED,
    /** The record to serialize does not satisfy its own schema (for example a required field is null). */
    INVALID_RECORD
  }

  private final Reason reason;
  private final String topic;
  private final Integer schemaId;

  SerdeException(Reason reason, String topic, Integer schemaId, String detail, Throwable cause) {
    super(describe(reason, topic, schemaId, detail), cause);
    this.reason = reason;
    this.topic = topic;
    this.schemaId = schemaId;
  }

  static SerdeException of(Reason reason, String topic, Integer schemaId, String detail) {
    return new SerdeException(reason, topic, schemaId, detail, null);
  }

  static SerdeException of(Reason reason, String topic, Integer schemaId, String detail, Throwable cause) {
    return new SerdeException(reason, topic, schemaId, detail, cause);
  }

  public Reason reason() {
    return reason;
  }

  /**
   * True when the record is not at fault: the registry was unreachable or refused the client. Such a record must
   * be read again later, never dead-lettered.
   */
  public boolean retriable() {
    return reason == Reason.REGISTRY_UNAVAILABLE || reason == Reason.REGISTRY_NOT_AUTHORISED;
  }

  /** The topic of the record, or null when not known. */
  public String topic() {
    return topic;
  }

  /** The schema id of the frame, or null when the header could not be read or no id was assigned yet. */
  public Integer schemaId() {
    return schemaId;
  }

  private static String describe(Reason reason, String topic, Integer schemaId, String detail) {
    StringBuilder message = new StringBuilder().append(reason).append(" on topic '").append(topic).append('\'');
    if (schemaId != null) {
      message.append(" (schema id ").append(schemaId).append(')');
    }
    return message.append(": ").append(detail).toString();
  }
}
