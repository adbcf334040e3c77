package io.queststream.demo.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One chaos run.
 *
 * @param classpath classpath of the broker and streams-app JVMs (Kafka jars, the app and its model)
 * @param registryHome the unpacked schema registry
 * @param workDir broker data, instance state and logs
 * @param profile the profile's name, for the report
 * @param brokers 1, or 3 for the quorum with replication factor 3 and min.insync.replicas 2
 * @param instances streams-app instances while no fault changes their number
 * @param rate good turns per second, sent for the whole run
 * @param badEvery one bad record after every N good turns
 * @param faults the faults to inject, each {@code runs} times, in a seeded order
 * @param seed seeds the order, the victims and their downtimes
 * @param registryOutage how long the registry stays stopped
 * @param zombiePause how long an instance stays SIGSTOPped (past its 10 s session and transaction timeouts)
 * @param drainTimeout how long the audit waits after the last turn for every expected output
 */
public record ChaosSettings(String classpath, Path registryHome, Path workDir, String profile, int brokers,
    int instances, double rate, int badEvery, List<Fault> faults, int runs, long seed, Duration registryOutage,
    Duration zombiePause, Duration drainTimeout) {

  public ChaosSettings {
    faults = List.copyOf(faults);
    for (Fault f : faults) {
      if (f.needsQuorum() && brokers < 3) {
        throw new IllegalArgumentException(f.tag() + " needs the three-broker cluster (--brokers 3)");
      }
      if (f == Fault.BROKER_RESTART && brokers != 1) {
        throw new IllegalArgumentException("broker-restart is the single-broker fault; with 3 brokers use "
            + "rolling-restart");
      }
    }
  }
}
