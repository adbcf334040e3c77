package io.queststream.serde.registry;

/** A registry call that failed; {@link #kind()} says whether retrying can help. */
public class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** The subject, version or schema id does not exist. */
    NOT_FOUND,
    /** The registry refused the request: incompatible or invalid schema. */
    REJECTED,
    /**
     * The registry refused our credentials (401) or their rights (403). Not the record's fault: the request is
     * retried once the registry accepts the client again.
     */
    NOT_AUTHORISED,
    /** The registry answered with a schema this client cannot parse (or whose references it cannot resolve). */
    UNUSABLE_SCHEMA,
    /** No answer in time, connection refused, TLS failure or a server error: the registry is not usable now. */
    UNAVAILABLE
  }

  private final Kind kind;

  public SchemaRegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SchemaRegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** True when the failure lies with the registry or the client's access to it, not with the request. */
  public boolean retriable() {
    return kind == Kind.UNAVAILABLE || kind == Kind.NOT_AUTHORISED;
  }
}
