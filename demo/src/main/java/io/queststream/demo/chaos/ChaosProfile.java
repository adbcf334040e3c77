package io.queststream.demo.chaos;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sizes of a chaos run. {@code short} is what CI runs: every fault once on the three-broker cluster, short outages.
 * {@code long} runs every fault three times with a 30 s registry outage, for the figures in docs/reliability.md.
 *
 * @param rate good turns per second
 * @param runs how often each fault is injected
 */
public enum ChaosProfile {
  SHORT(3, 2, 5, 20, 1, Duration.ofSeconds(15), Duration.ofSeconds(16)),
  LONG(3, 2, 8, 25, 3, Duration.ofSeconds(30), Duration.ofSeconds(20));

  private final int brokers;
  private final int instances;
  private final double rate;
  private final int badEvery;
  private final int runs;
  private final Duration registryOutage;
  private final Duration zombiePause;

  ChaosProfile(int brokers, int instances, double rate, int badEvery, int runs, Duration registryOutage,
      Duration zombiePause) {
    this.brokers = brokers;
    this.instances = instances;
    this.rate = rate;
    this.badEvery = badEvery;
    this.runs = runs;
    this.registryOutage = registryOutage;
    this.zombiePause = zombiePause;
  }

  public static ChaosProfile parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  /** Every fault the cluster shape allows (disk-full only where tmpfs can be mounted). */
  public static List<Fault> applicableFaults(int brokers, boolean canMount) {
    return Arrays.stream(Fault.values())
        .filter(f -> brokers >= 3 ? f != Fault.BROKER_RESTART : !f.needsQuorum())
        .filter(f -> f != Fault.DISK_FULL || canMount)
        .toList();
  }

  public ChaosSettings settings(String classpath, java.nio.file.Path registryHome, java.nio.file.Path workDir,
      List<Fault> faults, long seed) {
    return new ChaosSettings(classpath, registryHome, workDir, name().toLowerCase(Locale.ROOT), brokers, instances,
        rate, badEvery, faults, runs, seed, registryOutage, zombiePause, Duration.ofMinutes(5));
  }

  public int brokers() {
    return brokers;
  }
}
