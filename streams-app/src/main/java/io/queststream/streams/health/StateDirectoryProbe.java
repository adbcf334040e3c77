package io.queststream.streams.health;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

/**
 * Whether the state directory takes writes again: writes and syncs a probe file of a few MiB (about what opening a
 * task's stores needs) and deletes it.
 */
public final class StateDirectoryProbe implements BooleanSupplier {

  private static final int PROBE_BYTES = 4 * 1024 * 1024;

  private final Path directory;

  public StateDirectoryProbe(Path directory) {
    this.directory = directory;
  }

  @Override
  public boolean getAsBoolean() {
    Path probe = directory.resolve(".quest-space-probe");
    try {
      Files.createDirectories(directory);
      try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer block = ByteBuffer.allocate(64 * 1024);
        for (int written = 0; written < PROBE_BYTES; written += block.capacity()) {
          block.clear();
          while (block.hasRemaining()) {
            channel.write(block);
          }
        }
        channel.force(true);
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // A probe file that cannot be deleted is retried on the next probe.
      }
    }
  }
}
