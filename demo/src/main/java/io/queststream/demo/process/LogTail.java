package io.queststream.demo.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The latest INFO message in a child's log, which says what the child is doing: the demo starts its applications
 * with the log pattern {@code HH:mm:ss.SSS LEVEL [thread] logger - message} (app-logback.xml).
 */
public final class LogTail {

  private static final Pattern INFO = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO +\\[[^\\]]*\\] \\S+ - (.+)$");
  private static final int TAIL_BYTES = 16 * 1024;

  private LogTail() {}

  public static Optional<String> lastInfo(Path log) {
    if (!Files.isRegularFile(log)) {
      return Optional.empty();
    }
    List<String> lines;
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - TAIL_BYTES);
      byte[] tail = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(tail);
      lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = INFO.matcher(lines.get(i));
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
