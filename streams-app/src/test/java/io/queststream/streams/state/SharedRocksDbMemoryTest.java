package io.queststream.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Every store of the JVM gets the one shared cache and write buffer manager, sized by the configured budget. */
class SharedRocksDbMemoryTest {

  static {
    RocksDB.loadLibrary();
  }

  @Test
  void twoStoresShareOneBudgetAndCacheTheirIndexAndFilterBlocksInIt() {
    Map<String, Object> configs = Map.of(SharedRocksDbMemory.MEMORY_BYTES_CONFIG, 64L * 1024 * 1024);
    SharedRocksDbMemory setter = new SharedRocksDbMemory();
    try (Options history = new Options(); Options buffer = new Options()) {
      history.setTableFormatConfig(new BlockBasedTableConfig());
      buffer.setTableFormatConfig(new BlockBasedTableConfig());

      setter.setConfig("conversation-history", history, configs);
      setter.setConfig("micro-batch-buffer", buffer, configs);

      SharedRocksDbMemory.Budget budget = SharedRocksDbMemory.budget(configs);
      assertThat(budget.bytes()).isEqualTo(64L * 1024 * 1024);
      assertThat(history.writeBufferManager()).isSameAs(budget.writeBuffers());
      assertThat(buffer.writeBufferManager()).isSameAs(budget.writeBuffers());
      BlockBasedTableConfig table = (BlockBasedTableConfig) history.tableFormatConfig();
      assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
      assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
      assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
    }
  }

  @Test
  void aMissingOrNonPositiveBudgetIsRefused() {
    assertThatThrownBy(() -> SharedRocksDbMemory.memoryBytes(Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(SharedRocksDbMemory.MEMORY_BYTES_CONFIG);
    assertThatThrownBy(() -> SharedRocksDbMemory.memoryBytes(Map.of(SharedRocksDbMemory.MEMORY_BYTES_CONFIG, "0")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be positive");
  }
}
