package io.queststream.bench.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a figure was measured on: CPU, cores, OS, JVM, and how busy the machine was. */
public final class Machine {

  private Machine() {}

  /** One line: CPU model, cores visible to the JVM, OS and JVM. */
  public static String describe() {
    return String.format(Locale.ROOT, "%s, %d cores visible to the JVM, %s %s %s, Java %s", cpuModel(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("os.arch"), System.getProperty("java.version"));
  }

  /** The first "model name" of /proc/cpuinfo. */
  public static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU (" + e.getMessage() + ")";
    }
  }

  /** The 1, 5 and 15 minute load averages. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }
}
