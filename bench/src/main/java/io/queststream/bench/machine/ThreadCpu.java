package io.queststream.bench.machine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time of every thread of this process, Java and native alike (ONNX Runtime's pool, RocksDB's flush and
 * compaction threads), read from /proc/self/task. Two snapshots around a measured section say which threads took
 * the cores from it: what a JVM-level profile of Java threads cannot show. A thread that ends between the two
 * snapshots is not counted; the threads that matter here (engine pools, stream threads, the broker's) live on.
 */
public final class ThreadCpu {

  /** Clock ticks per second of /proc's utime and stime; 100 on every Linux the project runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Map<Integer, Sample> threads;

  private record Sample(String name, long ticks) {}

  private ThreadCpu(Map<Integer, Sample> threads) {
    this.threads = threads;
  }

  /** The threads alive now with their CPU time so far; empty where /proc is not there (not Linux). */
  public static ThreadCpu snapshot() {
    Map<Integer, Sample> threads = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return new ThreadCpu(threads);
    }
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        Sample s = read(task);
        if (s != null) {
          threads.put(Integer.parseInt(task.getFileName().toString()), s);
        }
      }
    } catch (IOException e) {
      return new ThreadCpu(threads);
    }
    return new ThreadCpu(threads);
  }

  /** One thread's name and utime + stime; null when it ended while being read. */
  private static Sample read(Path task) {
    try {
      String stat = Files.readString(task.resolve("stat"));
      // "tid (comm) state ..." where comm may hold spaces and parentheses: split after the last ')'.
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String[] f = stat.substring(close + 2).split(" ");
      // after comm: state is field 0, utime field 11, stime field 12
      return new Sample(stat.substring(open + 1, close), Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * CPU seconds taken since {@code before}, per thread name with trailing digits folded ("rocksdb:low" for every
   * RocksDB low-priority thread, "kafka-producer-network-thread | ..." kept whole), largest first.
   */
  public List<Map.Entry<String, Double>> since(ThreadCpu before) {
    Map<String, Double> byName = new TreeMap<>();
    threads.forEach((tid, now) -> {
      Sample then = before.threads.get(tid);
      long ticks = now.ticks() - (then == null ? 0 : then.ticks());
      if (ticks > 0) {
        byName.merge(fold(now.name()), ticks / TICKS_PER_SECOND, Double::sum);
      }
    });
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(byName.entrySet());
    sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    return sorted;
  }

  static String fold(String name) {
    return name.replaceAll("[-_ #]*\\d+$", "");
  }

  /** "name 1.23 s, name 0.40 s, ... (n more 0.05 s)": the first {@code top} entries and the rest summed. */
  public static String format(List<Map.Entry<String, Double>> cpu, int top) {
    String head = cpu.stream().limit(top)
        .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
    double rest = cpu.stream().skip(top).mapToDouble(Map.Entry::getValue).sum();
    return cpu.size() > top
        ? head + String.format(Locale.ROOT, " (%d more %.2f s)", cpu.size() - top, rest)
        : head;
  }

  public static double total(List<Map.Entry<String, Double>> cpu) {
    return cpu.stream().mapToDouble(Map.Entry::getValue).sum();
  }
}
