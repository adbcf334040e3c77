package io.queststream.demo.chaos;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What child JVMs of the integration tests run from: this module's classes plus its runtime classpath. */
public final class ProcessClasspath {

  private static final Path TARGET = Path.of("target").toAbsolutePath();

  private ProcessClasspath() {}

  /** target/classes plus target/classpath.txt (written by the build's generate-resources phase). */
  public static String ofThisModule() throws IOException {
    String dependencies = Files.readString(TARGET.resolve("classpath.txt")).trim();
    return TARGET.resolve("classes") + File.pathSeparator + dependencies;
  }

  public static Path registryHome() {
    return TARGET.resolve("apicurio");
  }

  /**
   * A fresh working directory under target/it-work/, kept after the run so that the child processes' logs can be
   * read when a test fails.
   */
  public static Path workDir(String name) throws IOException {
    Path dir = TARGET.resolve("it-work").resolve(name);
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  /** Writes a generated report to target/reliability/, from where it is copied into docs/reliability.md. */
  public static void writeReport(String name, String markdown) throws IOException {
    Path dir = TARGET.resolve("reliability");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), markdown + "\n");
  }
}
