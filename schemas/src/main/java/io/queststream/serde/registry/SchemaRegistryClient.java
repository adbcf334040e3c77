package io.queststream.serde.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API a serde needs. Implementations cache answers that never change
 * (an id always names the same schema) and fail with {@link SchemaRegistryException} instead of blocking.
 */
public interface SchemaRegistryClient {

  /** Registers the schema under the subject (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The id of a schema already registered under the subject; NOT_FOUND when it is not. */
  int idOf(String subject, Schema schema);

  /** The schema with this global id; NOT_FOUND when the registry does not know it. */
  Schema schemaById(int id);

  /**
   * Whether the schema may be registered as the next version of the subject under the subject's compatibility
   * rule, checked against its latest version. True when the subject has no version yet.
   */
  boolean isCompatible(String subject, Schema schema);

  List<String> subjects();
}
