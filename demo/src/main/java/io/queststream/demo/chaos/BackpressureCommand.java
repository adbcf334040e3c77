package io.queststream.demo.chaos;

import ch.qos.logback.classic.Level;
import io.queststream.demo.infra.DemoFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quest-stream backpressure}: one small-heap streams-app flooded with turns; prints counts and peaks. */
@Command(name = "backpressure", mixinStandardHelpOptions = true,
    description = {"Starts a broker, a schema registry and one streams-app with a small fixed heap as separate "
        + "processes, sends sample turns far faster than it can score them, samples its heap, micro-batch buffers "
        + "and consumer lag while the backlog builds and drains, then counts scores with a read_committed consumer.",
        "Exit status: 0 when every assistant turn has exactly one score, the instance never died, its heap stayed "
            + "under -Xmx and its micro-batch buffers within their bound; 1 otherwise."})
public final class BackpressureCommand implements Callable<Integer> {

  @Option(names = "--turns", defaultValue = "3000",
      description = "Turns to send, every role (default: ${DEFAULT-VALUE}).")
  long turns;

  @Option(names = "--rate", defaultValue = "200", description = "Turns per second offered (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--heap", defaultValue = "384m",
      description = "The streams-app's -Xmx (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--batch-max-size", defaultValue = "32",
      description = "The app's batch.max-size (default: ${DEFAULT-VALUE}).")
  int batchMaxSize;

  @Option(names = "--partitions", defaultValue = "3",
      description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--drain-timeout", defaultValue = "PT15M",
      description = "How long to wait for every score after the last turn (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(names = "--work-dir", defaultValue = ".quest/backpressure",
      description = "Broker data, instance state and logs; emptied first (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
    DemoFiles.deleteRecursively(workDir);
    BackpressureSettings settings = new BackpressureSettings(System.getProperty("java.class.path"),
        DemoFiles.registryHome(), workDir.toAbsolutePath(), turns, rate, heap, batchMaxSize, partitions,
        drainTimeout);
    BackpressureReport report = new BackpressureRun(settings, System.out).run();
    System.out.println();
    System.out.println(report.table());
    return report.held() ? 0 : 1;
  }
}
