package io.queststream.streams.health;

import java.util.Locale;

/**
 * What the app depends on that can fail without any record being at fault. While one of them fails, records wait:
 * they are read again once it is back, never dead-lettered.
 */
public enum Dependency {
  /** Schemas of records not seen before, and the ids of the app's own output schemas. */
  SCHEMA_REGISTRY,
  /** Brokers: leaders, in-sync replicas, the transaction and group coordinators. */
  KAFKA,
  /** The local disk under state.dir, where RocksDB keeps the stores. */
  STATE_DIRECTORY,
  /** The model's batcher: a full queue or a closed scorer. */
  SCORER;

  /** The name in metrics and readiness reasons, e.g. {@code schema-registry}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
