package io.queststream.demo.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files the demo needs from the build. */
public final class DemoFiles {

  private DemoFiles() {}

  /** The schema registry the demo module's build unpacked (demo/target/apicurio). */
  public static Path registryHome() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("demo/target/apicurio");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IOException("schema registry not unpacked; build with ./quest-stream (it runs the Maven build)");
  }

  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
