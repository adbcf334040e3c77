package io.queststream.demo.chaos;

import ch.qos.logback.classic.Level;
import io.queststream.demo.infra.DemoFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quest-stream chaos}: the exactly-once chaos run with real processes; prints the counts. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Starts brokers (three, with a controller quorum, replication factor 3 and min.insync.replicas "
        + "2), a schema registry and streams-app instances (exactly-once) as separate processes, sends sample turns "
        + "with bad records for the whole run and injects one fault after another (see --faults). At the end a "
        + "read_committed consumer counts scores and dead letters, overall and per fault, and the run prints the "
        + "table of docs/reliability.md.",
        "Faults: leader-kill, controller-kill, rolling-restart, registry-outage, zombie, kill-ready, "
            + "kill-restoring, kill-rebalancing, scale-out-in, disk-full (needs root: it mounts a tmpfs), and "
            + "broker-restart (single broker only).",
        "Exit status: 0 when every assistant turn has exactly one score, every bad record exactly one dead letter, "
            + "no instance exited unplanned, every aimed fault hit its moment and every fault was recovered from; "
            + "1 otherwise."})
public final class ChaosCommand implements Callable<Integer> {

  @Option(names = "--profile", defaultValue = "short",
      description = "short (CI: leader-kill, controller-kill, registry-outage (15 s), zombie, kill-rebalancing, "
          + "disk-full, once each) or long (every fault three times, 30 s registry outage) "
          + "(default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(names = "--faults", split = ",",
      description = "Faults to inject, comma-separated (default: the profile's that the cluster allows).")
  List<String> faults;

  @Option(names = "--brokers", description = "1 or 3 (default: the profile's, 3).")
  Integer brokers;

  @Option(names = "--runs", description = "How often each fault is injected (default: the profile's).")
  Integer runs;

  @Option(names = "--rate", description = "Good turns per second (default: the profile's).")
  Double rate;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seeds the order of the faults, the victims and their downtime (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work-dir", defaultValue = ".quest/chaos",
      description = "Broker data, instance state and logs; emptied first (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    // The run's own clients retry through the faults it injects; their connection warnings would bury the report.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
    DemoFiles.deleteRecursively(workDir);
    ChaosProfile p = ChaosProfile.parse(profile);
    int brokerCount = brokers != null ? brokers : p.brokers();
    List<Fault> chosen = faults == null ? p.faults(brokerCount, SmallFileSystem.canMount())
        : faults.stream().map(Fault::parse).toList();
    if (faults == null && !chosen.contains(Fault.DISK_FULL)) {
      System.out.println("chaos: disk-full is left out: mounting its tmpfs needs root");
    }
    ChaosSettings base = p.settings(System.getProperty("java.class.path"), DemoFiles.registryHome(),
        workDir.toAbsolutePath(), chosen, seed);
    ChaosSettings settings = new ChaosSettings(base.classpath(), base.registryHome(), base.workDir(), base.profile(),
        brokerCount, base.instances(), rate != null ? rate : base.rate(), base.badEvery(), base.faults(),
        runs != null ? runs : base.runs(), seed, base.registryOutage(), base.zombiePause(), base.drainTimeout());
    ChaosReport report = new ChaosRun(settings, System.out).run();
    System.out.println();
    System.out.println(report.episodeLog());
    System.out.println();
    System.out.println(report.table());
    System.out.println();
    System.out.println(report.faultTable());
    return report.passed() ? 0 : 1;
  }
}
