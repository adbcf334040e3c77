package io.queststream.trainer.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Lists a data set's files in a stable order and fingerprints them. */
final class DatasetFiles {

  private DatasetFiles() {}

  /** Regular files under {@code dir} whose name ends with {@code suffix}, sorted by their path relative to root. */
  static List<Path> list(Path root, Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> out = new ArrayList<>(s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(suffix)).toList());
      out.sort((a, b) -> relative(root, a).compareTo(relative(root, b)));
      return out;
    }
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  static String sha256(byte[] bytes) {
    MessageDigest md = ContentIds.digest();
    return HexFormat.of().formatHex(md.digest(bytes));
  }
}
