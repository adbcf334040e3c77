package io.queststream.demo.cli;

import io.queststream.demo.dashboard.DashboardMain;
import io.queststream.demo.infra.BrokerProcess;
import io.queststream.demo.infra.DemoFiles;
import io.queststream.demo.infra.RegistryProcess;
import io.queststream.demo.infra.TopicSetup;
import io.queststream.demo.process.ConsoleProgress;
import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Ports;
import io.queststream.demo.process.Readiness;
import io.queststream.demo.process.Supervisor;
import io.queststream.demo.security.WeightsKeys;
import io.queststream.demo.traffic.TrafficMain;
import io.queststream.trainer.cli.TrainerCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the whole pipeline on this machine as separate supervised processes: broker, schema registry, trainer,
 * streams app, dashboard and traffic generator. Ctrl-C stops them all.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the scoring pipeline end to end on this machine with the default MiniLM backbone.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka broker port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Option(names = "--app-port", defaultValue = "8088",
      description = "Streams app health and metrics port (default: ${DEFAULT-VALUE}).")
  int appPort;

  @Option(names = "--trainer-port", defaultValue = "8089",
      description = "Trainer health and metrics port (default: ${DEFAULT-VALUE}).")
  int trainerPort;

  @Option(names = "--dashboard-port", defaultValue = "8090", description = "Dashboard port (default: ${DEFAULT-VALUE}).")
  int dashboardPort;

  @Option(names = "--rate", defaultValue = "4", description = "Traffic: turns per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--drift-after", defaultValue = "800", description = "Traffic: after N turns the "
      + "--drift-character's replies degenerate (spam, refusals, insults), for the drift alerts to find; 0 disables "
      + "(default: ${DEFAULT-VALUE}).")
  long driftAfter;

  @Option(names = "--drift-character", defaultValue = "innkeeper-brenna",
      description = "Traffic: the character whose replies degrade (default: ${DEFAULT-VALUE}).")
  String driftCharacter;

  @Option(names = "--data-dir", defaultValue = ".quest/demo", description = "Broker data, app state, configs and "
      + "logs; emptied at every start, because the schema registry keeps its schemas in memory and records from an "
      + "earlier run could not be decoded (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--signing-dir", defaultValue = ".quest/signing", description = "Where the demo keeps the Ed25519 "
      + "key pair its trainer signs weights with and its streams app trusts; made on the first run and kept, unlike "
      + "the data directory (default: ${DEFAULT-VALUE}).")
  Path signingDir;

  @Override
  public Integer call() throws Exception {
    Supervisor supervisor = new Supervisor();
    try {
      return run(supervisor);
    } catch (IOException | IllegalStateException e) {
      if (supervisor.isClosed()) {
        return 130;
      }
      System.out.println();
      System.out.println("demo failed: " + e.getMessage());
      return 1;
    } finally {
      supervisor.close();
    }
  }

  private int run(Supervisor supervisor) throws Exception {
    ConsoleProgress progress = new ConsoleProgress(System.out);
    DemoPorts ports = new DemoPorts(kafkaPort, controllerPort, registryPort, appPort, trainerPort, dashboardPort);
    ports.requireFree();
    DemoFiles.deleteRecursively(dataDir);
    Files.createDirectories(dataDir);
    Path logs = dataDir.resolve("logs").toAbsolutePath();
    String classpath = System.getProperty("java.class.path");
    String bootstrap = "localhost:" + kafkaPort;
    String registryUrl = RegistryProcess.confluentApiUrl(registryPort);

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\n==> stopping");
      supervisor.close();
    }, "demo-stop"));

    progress.step("starting Kafka broker (KRaft) on " + bootstrap);
    ManagedProcess kafka = supervisor.adopt(BrokerProcess.start(classpath, dataDir.toAbsolutePath(), kafkaPort,
        controllerPort, logs));
    Readiness.await(kafka, "Kafka broker", Duration.ofSeconds(90), () -> Ports.isListening(kafkaPort), progress);
    TopicSetup.create(bootstrap, 3);

    progress.step("starting schema registry on " + registryUrl);
    ManagedProcess registry = supervisor.adopt(RegistryProcess.start(DemoFiles.registryHome(), registryPort, logs));
    Readiness.await(registry, "schema registry", Duration.ofSeconds(90),
        Readiness.httpOk("http://127.0.0.1:" + registryPort + "/health/ready"), progress);

    WeightsKeys keys = WeightsKeys.createOrLoad(signingDir);
    progress.step("weights are signed with key " + keys.keyId() + " (" + keys.privateKeyFile() + ")");
    DemoApps apps = new DemoApps(classpath, dataDir.toAbsolutePath(), logs, bootstrap, registryUrl, ports, keys);
    progress.step("trainer: training the first weights version from part of the sample data (embeds the replies, "
        + "then fits the heads; about 1.5 minutes on 2 cores)");
    apps.bootstrapWeights(supervisor, progress);
    progress.step("starting the continuous trainer on http://127.0.0.1:" + trainerPort + "/ and the streams app on "
        + "http://127.0.0.1:" + appPort + "/ (loads the MiniLM backbone, warms up, joins the topics)");
    ManagedProcess trainer = supervisor.adopt(apps.startTrainer());
    ManagedProcess streams = supervisor.adopt(apps.startStreamsApp());
    Readiness.await(streams, "streams app", Duration.ofMinutes(5),
        Readiness.httpOk("http://127.0.0.1:" + appPort + "/health/ready"), progress);
    Readiness.await(trainer, "trainer", Duration.ofMinutes(3),
        Readiness.httpOk("http://127.0.0.1:" + trainerPort + "/health/ready"), progress);

    progress.step("starting dashboard on http://127.0.0.1:" + dashboardPort + "/");
    ManagedProcess dashboard = supervisor.adopt(ManagedProcess.startJava("dashboard", classpath,
        List.of("-Xmx256m", DemoApps.LOGGING), DashboardMain.class.getName(), List.of("--bootstrap-servers",
            bootstrap, "--schema-registry-url", registryUrl, "--port", String.valueOf(dashboardPort),
            "--app-metrics-url", "http://127.0.0.1:" + appPort + "/metrics"),
        dataDir, logs.resolve("dashboard.log"), DemoApps.env()));
    Readiness.await(dashboard, "dashboard", Duration.ofSeconds(60),
        Readiness.httpOk("http://127.0.0.1:" + dashboardPort + "/api/summary"), progress);

    progress.step("starting traffic generator at " + rate + " turns/s");
    supervisor.adopt(ManagedProcess.startJava("traffic", classpath, List.of("-Xmx256m", DemoApps.LOGGING),
        TrafficMain.class.getName(), List.of("--bootstrap-servers", bootstrap, "--schema-registry-url", registryUrl,
            "--rate", String.valueOf(rate), "--drift-after", String.valueOf(driftAfter), "--drift-character",
            driftCharacter), dataDir, logs.resolve("traffic.log"), DemoApps.env()));

    System.out.println();
    System.out.println("quest-stream is scoring.");
    boolean answering = new Endpoints()
        .http("dashboard", "http://127.0.0.1:" + dashboardPort, "/")
        .http("streams app", "http://127.0.0.1:" + appPort, "/metrics", "/health/ready", "/health/live")
        .http("trainer", "http://127.0.0.1:" + trainerPort, "/metrics", "/health/ready", "/health/live")
        .tcp("kafka", bootstrap, kafkaPort)
        .http("schema registry", registryUrl, "/subjects")
        .print(System.out);
    System.out.println("  logs             " + logs);
    if (!answering) {
      System.out.println("Some addresses do not answer yet; the logs say why.");
    }
    System.out.println("Press Ctrl-C to stop everything.");
    watch(supervisor, trainer);
    return 1;
  }

  /**
   * Prints a status line every few seconds; returns when a child dies on its own. A trainer fenced by a one-shot
   * trainer command (calibrate, train, rollback) is not restarted, which would fence that command in turn: scoring
   * goes on with the published weights.
   */
  private void watch(Supervisor supervisor, ManagedProcess trainer) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest summary = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboardPort + "/api/summary"))
        .timeout(Duration.ofSeconds(2)).build();
    while (true) {
      Optional<ManagedProcess> dead = supervisor.firstDead();
      if (dead.isPresent() && dead.get() == trainer
          && dead.get().exitCode().orElse(-1) == TrainerCommand.EXIT_FENCED) {
        supervisor.release(trainer);
        System.out.println("\ntrainer: another trainer command took over publishing (see " + trainer.log()
            + "); scoring goes on with the weights it publishes; restart the demo to resume continuous training");
        continue;
      }
      if (dead.isPresent()) {
        System.out.println("\n" + dead.get().name() + " stopped unexpectedly; see " + dead.get().log());
        return;
      }
      try {
        String body = http.send(summary, HttpResponse.BodyHandlers.ofString()).body();
        System.out.print("\r    " + StatusLine.of(body) + "     ");
        System.out.flush();
      } catch (Exception e) {
        System.out.print("\r    (dashboard not answering)");
      }
      Thread.sleep(3_000);
    }
  }
}
