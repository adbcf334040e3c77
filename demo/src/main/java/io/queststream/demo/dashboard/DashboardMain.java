package io.queststream.demo.dashboard;

import io.queststream.demo.infra.ClusterOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the dashboard sidecar until the process is stopped. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "Live web dashboard over the scoring pipeline's output topics.")
public final class DashboardMain implements Callable<Integer> {

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}; the form writes to Kafka, so keep it local unless protected).")
  String host;

  @Option(names = "--port", defaultValue = "8090", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--published-name", paramLabel = "HOST", description = "A host name the dashboard is reached "
      + "under besides its bind address (behind a proxy); repeatable. Requests naming any other Host are refused.")
  List<String> publishedNames = new ArrayList<>();

  @Option(names = "--try-burst", defaultValue = "5", description = "Replies the form may send at once "
      + "(default: ${DEFAULT-VALUE}).")
  int tryBurst;

  @Option(names = "--try-refill-ms", defaultValue = "2000", description = "After a burst, one more reply per this "
      + "many milliseconds (default: ${DEFAULT-VALUE}).")
  long tryRefillMs;
  @Option(names = "--app-metrics-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8088/metrics",
      split = ",", description = "Prometheus endpoint of each streams app instance, for the weights version it has "
          + "installed; repeatable or comma-separated (default: ${DEFAULT-VALUE}).")
  List<URI> appMetrics;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (DashboardServer server = new DashboardServer(host, port, cluster.bootstrap, cluster.registryUrl,
        appMetrics, publishedNames, new TryItGuard.RateLimit(tryBurst, Duration.ofMillis(tryRefillMs)))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dashboard-stop"));
      server.start();
      System.out.println("Dashboard at http://" + host + ":" + server.port() + "/");
      stopped.await();
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DashboardMain()).execute(args));
  }
}
