package io.queststream.streams.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Puts every RocksDB state store of the JVM on one memory budget: a single block cache that also accounts for the
 * memtables (through a write buffer manager) and holds the index and filter blocks. Without it each store of each
 * task gets its own 50 MiB block cache and up to three 16 MiB memtables, so native memory grows with the number of
 * partitions and stores rather than with a setting (Kafka Streams' memory-management guide describes the pattern).
 * The budget is {@link #MEMORY_BYTES_CONFIG}; the first store opened fixes it for the JVM.
 */
public final class SharedRocksDbMemory implements RocksDBConfigSetter {

  /** Kafka Streams config key carrying the budget in bytes (set from {@code stores.memory-mb}). */
  public static final String MEMORY_BYTES_CONFIG = "quest.state.rocksdb.memory-bytes";
  /** Share of the budget the memtables may take; the rest caches data, index and filter blocks. */
  static final double MEMTABLE_SHARE = 0.5;
  /** Share of the cache kept for index and filter blocks, so data blocks cannot evict them. */
  private static final double HIGH_PRIORITY_SHARE = 0.1;

  private static Budget budget;

  /** The cache and write buffer manager every store shares; built once, never closed while the JVM runs. */
  record Budget(long bytes, Cache cache, WriteBufferManager writeBuffers) {

    static Budget of(long bytes) {
      Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
      return new Budget(bytes, cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
    }
  }

  static synchronized Budget budget(Map<String, Object> configs) {
    if (budget == null) {
      budget = Budget.of(memoryBytes(configs));
    }
    return budget;
  }

  static long memoryBytes(Map<String, Object> configs) {
    Object value = configs.get(MEMORY_BYTES_CONFIG);
    if (value == null) {
      throw new IllegalStateException(MEMORY_BYTES_CONFIG + " is not set");
    }
    long bytes = Long.parseLong(value.toString().trim());
    if (bytes <= 0) {
      throw new IllegalStateException(MEMORY_BYTES_CONFIG + " must be positive, was " + bytes);
    }
    return bytes;
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Budget shared = budget(configs);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(shared.writeBuffers());
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager are shared by every store of the JVM: they outlive any one store.
  }
}
