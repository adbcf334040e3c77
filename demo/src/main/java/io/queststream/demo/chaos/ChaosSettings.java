package io.queststream.demo.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One chaos run.
 *
 * @param classpath classpath of the broker and streams-app JVMs (Kafka jars, the app and its model)
 * @param registryHome the unpacked schema registry
 * @param workDir broker data, instance state and logs
 * @param duration how long turns are sent
 * @param rate good turns per second
 * @param badEvery one bad record after every N good turns
 * @param kills SIGKILLs of a streams-app instance, at seeded random moments while turns flow
 * @param brokerRestart whether the broker is stopped and started again mid-run
 * @param seed seeds the kill moments, the victims and their downtime
 * @param drainTimeout how long the audit waits after the last turn for every expected output
 */
public record ChaosSettings(String classpath, Path registryHome, Path workDir, Duration duration, double rate,
    int badEvery, int kills, boolean brokerRestart, long seed, Duration drainTimeout, int kafkaPort,
    int controllerPort, int registryPort) {

  public long totalTurns() {
    return Math.max(1, Math.round(duration.toMillis() / 1000.0 * rate));
  }
}
