package io.queststream.demo.chaos;

import ch.qos.logback.classic.Level;
import io.queststream.demo.infra.DemoFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quest-stream chaos}: the exactly-once chaos run with real processes; prints the counts. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Starts a broker, a schema registry and two streams-app instances (exactly-once) as separate "
        + "processes, sends sample turns with bad records, kills instances with SIGKILL at seeded random moments and "
        + "restarts the broker, then counts scores and dead letters with a read_committed consumer.",
        "Exit status: 0 when every assistant turn has exactly one score and every bad record exactly one dead "
            + "letter, 1 otherwise."})
public final class ChaosCommand implements Callable<Integer> {

  @Option(names = "--duration", defaultValue = "PT2M",
      description = "How long turns are sent, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--rate", defaultValue = "10", description = "Good turns per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--kills", defaultValue = "5",
      description = "SIGKILLs of a streams-app instance (default: ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seeds kill moments and victims (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--bad-every", defaultValue = "25",
      description = "One bad record after every N good turns (default: ${DEFAULT-VALUE}).")
  int badEvery;

  @Option(names = "--no-broker-restart", description = "Keep the broker up (by default it is restarted half-way).")
  boolean noBrokerRestart;

  @Option(names = "--drain-timeout", defaultValue = "PT5M",
      description = "How long to wait for every output after the last turn (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(names = "--work-dir", defaultValue = ".quest/chaos",
      description = "Broker data, instance state and logs; emptied first (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--kafka-port", defaultValue = "0",
      description = "0: any free port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--controller-port", defaultValue = "0",
      description = "0: any free port (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(names = "--registry-port", defaultValue = "0",
      description = "0: any free port (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Override
  public Integer call() throws Exception {
    // The run's own clients retry through the faults it injects; their connection warnings would bury the report.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
    DemoFiles.deleteRecursively(workDir);
    ChaosSettings settings = new ChaosSettings(System.getProperty("java.class.path"), DemoFiles.registryHome(),
        workDir.toAbsolutePath(), duration, rate, badEvery, kills, !noBrokerRestart, seed, drainTimeout,
        LocalCluster.portOrFree(kafkaPort), LocalCluster.portOrFree(controllerPort),
        LocalCluster.portOrFree(registryPort));
    ChaosReport report = new ChaosRun(settings, System.out).run();
    System.out.println();
    System.out.println(report.table());
    return report.exactlyOnce() ? 0 : 1;
  }
}
