package io.queststream.demo.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads a child process's log as it grows, so that a fault can strike within milliseconds of the moment the log
 * announces (a rebalance starting, a store being restored), and can tell afterwards what the process last did.
 */
final class LogFollower {

  private final Path log;
  private final StringBuilder partial = new StringBuilder();
  private final List<String> seen = new ArrayList<>();
  private long offset;

  LogFollower(Path log) {
    this.log = log;
  }

  /** Forgets everything logged so far: later reads start from here. */
  void skipToEnd() throws IOException {
    offset = Files.exists(log) ? Files.size(log) : 0;
    partial.setLength(0);
    seen.clear();
  }

  /** Polls every 2 ms until a new line matches; empty when the timeout passes or {@code alive} turns false. */
  Optional<String> await(Predicate<String> matches, Duration timeout, java.util.function.BooleanSupplier alive)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : readNew()) {
        if (matches.test(line)) {
          return Optional.of(line);
        }
      }
      if (!alive.getAsBoolean()) {
        return Optional.empty();
      }
      Thread.sleep(2);
    }
    return Optional.empty();
  }

  /** Every line logged since {@link #skipToEnd()}, read to the end of the file now. */
  List<String> linesSinceMark() throws IOException {
    readNew();
    return List.copyOf(seen);
  }

  private List<String> readNew() throws IOException {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(log)) {
      return lines;
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (length <= offset) {
        return lines;
      }
      byte[] bytes = new byte[(int) (length - offset)];
      f.seek(offset);
      f.readFully(bytes);
      offset = length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    }
    int newline;
    while ((newline = partial.indexOf("\n")) >= 0) {
      lines.add(partial.substring(0, newline));
      partial.delete(0, newline + 1);
    }
    seen.addAll(lines);
    return lines;
  }
}
