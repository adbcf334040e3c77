package io.queststream.demo.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tmpfs of a few MiB mounted over a directory (needs root), to run out of disk on purpose: {@link #fill()} writes
 * a ballast file until the file system is full to the last byte, {@link #free()} deletes it.
 */
final class SmallFileSystem implements AutoCloseable {

  private final Path dir;
  private final Path ballast;

  private SmallFileSystem(Path dir) {
    this.dir = dir;
    this.ballast = dir.resolve("ballast");
  }

  /** Whether this process may mount file systems. */
  static boolean canMount() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  static SmallFileSystem mount(Path dir, String size) throws IOException {
    if (!canMount()) {
      throw new IOException("mounting a " + size + " tmpfs over " + dir + " needs root");
    }
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    return new SmallFileSystem(dir);
  }

  /** Fills the file system; returns the ballast's size in bytes. */
  long fill() throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(ballast)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
        throw full;
      }
    }
    byte[] one = new byte[1];
    try (OutputStream out = Files.newOutputStream(ballast, java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(one);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
        throw full;
      }
    }
    return Files.size(ballast);
  }

  void free() throws IOException {
    Files.deleteIfExists(ballast);
  }

  @Override
  public void close() {
    try {
      run("umount", "-l", dir.toString());
    } catch (IOException e) {
      System.err.println("could not unmount " + dir + ": " + e.getMessage());
    }
  }

  private static void run(String... command) throws IOException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }
}
