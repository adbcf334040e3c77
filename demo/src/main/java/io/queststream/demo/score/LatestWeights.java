package io.queststream.demo.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The most recently written weights file under a directory, if any. */
final class LatestWeights {

  private LatestWeights() {}

  static Optional<Path> find(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".avro"))
          .max(Comparator.comparing(p -> p.toFile().lastModified()));
    }
  }
}
