package io.queststream.streams.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A state directory of one test driver, deleted on close: drivers that shared Kafka Streams' default directory would
 * see each other's stores (or a killed run's) and delete each other's files on close.
 */
public final class TemporaryStateDir implements AutoCloseable {

  private final Path path;

  private TemporaryStateDir(Path path) {
    this.path = path;
  }

  public static TemporaryStateDir create(String prefix) {
    try {
      return new TemporaryStateDir(Files.createTempDirectory(prefix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
