package io.queststream.bench.machine;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JVM settings that move a figure: the collector, the heap's ceiling, how soon the JIT compiles (a streaming
 * pass pays for every broker and client method that reaches C2's threshold during it), and the flags as given.
 */
public final class JvmSettings {

  private static final String COMPILE_THRESHOLD_SCALING = "CompileThresholdScaling";

  private JvmSettings() {}

  /** "G1 Young Generation + G1 Old Generation, max heap 6.0 GiB, JIT thresholds x0.1, flags: -XX:...". */
  public static String describe() {
    String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining(" + "));
    List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-X"))
        .toList();
    return String.format(Locale.ROOT, "%s, max heap %.1f GiB, JIT thresholds x%s (%s), flags: %s", collectors,
        Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024), compileThresholdScaling(),
        COMPILE_THRESHOLD_SCALING, flags.isEmpty() ? "none" : String.join(" ", flags));
  }

  private static String compileThresholdScaling() {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption(COMPILE_THRESHOLD_SCALING).getValue();
    } catch (RuntimeException e) {
      return "unknown (not HotSpot)";
    }
  }
}
