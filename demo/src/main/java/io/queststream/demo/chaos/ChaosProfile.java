package io.queststream.demo.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Sizes of a chaos run. {@code long} runs every fault three times on the three-broker cluster with a 30 s registry
 * outage, for the figures in docs/reliability.md. {@code short} is what CI runs within its time budget: once each,
 * the faults that need no more than one extra instance start (every app start loads the model): both broker kills,
 * the registry outage with its restart, the zombie, the kill in a rebalance and the full disk. The long profile
 * adds the rolling restart, the kill of a ready instance, the kill during a restoration and the scale-out and in.
 *
 * @param rate good turns per second
 * @param runs how often each fault is injected
 */
public enum ChaosProfile {
  SHORT(3, 2, 5, 20, 1, Duration.ofSeconds(15), Duration.ofSeconds(16), List.of(Fault.LEADER_KILL,
      Fault.CONTROLLER_KILL, Fault.REGISTRY_OUTAGE, Fault.ZOMBIE, Fault.KILL_REBALANCING, Fault.DISK_FULL)),
  LONG(3, 2, 8, 25, 3, Duration.ofSeconds(30), Duration.ofSeconds(20), List.of(Fault.values()));

  private final int brokers;
  private final int instances;
  private final double rate;
  private final int badEvery;
  private final int runs;
  private final Duration registryOutage;
  private final Duration zombiePause;
  private final List<Fault> faults;

  ChaosProfile(int brokers, int instances, double rate, int badEvery, int runs, Duration registryOutage,
      Duration zombiePause, List<Fault> faults) {
    this.faults = faults;
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

  /** The profile's faults that the cluster shape allows (disk-full only where a tmpfs can be mounted). */
  public List<Fault> faults(int brokers, boolean canMount) {
    return faults.stream()
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
