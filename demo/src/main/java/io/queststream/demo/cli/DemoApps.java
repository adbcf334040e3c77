package io.queststream.demo.cli;

import io.queststream.demo.process.ConsoleProgress;
import io.queststream.demo.process.LogTail;
import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Readiness;
import io.queststream.demo.process.Supervisor;
import io.queststream.demo.security.WeightsKeys;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** How the demo launches the two applications, each as its own JVM from the shared classpath. */
final class DemoApps {

  static final String STREAMS_MAIN = "io.queststream.streams.cli.StreamsAppCommand";
  static final String TRAINER_MAIN = "io.queststream.trainer.cli.TrainerCommand";
  /**
   * The first weights come from part of the sample data: embedding is the slow step on a CPU. The traffic generator
   * replays the rest with its feedback, and the continuous trainer publishes better versions as they pass its gate.
   */
  static final int BOOTSTRAP_CONVERSATIONS = 60;
  /** The demo's applications log with this configuration; {@link LogTail} reads its pattern. */
  static final String LOGGING = "-Dlogback.configurationFile=io/queststream/demo/cli/app-logback.xml";

  private final String classpath;
  private final Path dataDir;
  private final Path logs;
  private final String bootstrap;
  private final String registryUrl;
  private final DemoPorts ports;
  private final WeightsKeys keys;

  DemoApps(String classpath, Path dataDir, Path logs, String bootstrap, String registryUrl, DemoPorts ports,
      WeightsKeys keys) {
    this.classpath = classpath;
    this.dataDir = dataDir;
    this.logs = logs;
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.ports = ports;
    this.keys = keys;
  }

  /**
   * Trains and publishes weights version 1 from the sample data, unless a version is already published; shows the
   * trainer's progress (turns embedded, training stage) while it works.
   */
  void bootstrapWeights(Supervisor supervisor, ConsoleProgress progress) throws IOException, InterruptedException {
    ManagedProcess bootstrapRun = supervisor.adopt(trainer("trainer-bootstrap", "bootstrap", "--conversations",
        String.valueOf(BOOTSTRAP_CONVERSATIONS)));
    Readiness.awaitSuccess(bootstrapRun, "first weights", Duration.ofMinutes(10), progress,
        () -> LogTail.lastInfo(bootstrapRun.log()));
    supervisor.release(bootstrapRun);
  }

  /** The continuous trainer: retrains from feedback as it arrives and publishes versions that pass the gate. */
  ManagedProcess startTrainer() throws IOException {
    return trainer("trainer", "run");
  }

  ManagedProcess startStreamsApp() throws IOException {
    return ManagedProcess.startJava("streams-app", classpath, List.of("-Xmx2g", LOGGING), STREAMS_MAIN,
        List.of("run", "--bootstrap-servers", bootstrap, "--schema-registry-url", registryUrl,
            "-Dhttp.port=" + ports.app(), "-Dstate.dir=" + dataDir.resolve("streams-state"),
            "-Dmoderation.score-min=-0.75", "-Dmoderation.attribute.character-consistency.min=3.0",
            "-Dmoderation.attribute.contextual-alignment.min=2.5",
            "-Dweights.trusted-keys-file=" + keys.publicKeyFile()),
        dataDir, logs.resolve("streams-app.log"), env());
  }

  private ManagedProcess trainer(String name, String... command) throws IOException {
    Path config = dataDir.resolve("trainer.properties");
    Properties props = new Properties();
    props.setProperty("kafka.bootstrap.servers", bootstrap);
    props.setProperty("serde.schema.registry.url", registryUrl);
    props.setProperty("data.dir", trainerDir().toString());
    // Demo feedback arrives in small amounts: retrain often so new versions show up on the dashboard.
    props.setProperty("retrain.every.records", "200");
    props.setProperty("retrain.every", "PT2M");
    // A version that passes the held-out gate is first shadowed on the live traffic (docs/shadow.md).
    props.setProperty("promotion.mode", "shadow");
    props.setProperty("shadow.min-turns", "150");
    props.setProperty("http.port", String.valueOf(ports.trainer()));
    props.setProperty("signing.key.file", keys.privateKeyFile().toString());
    try (Writer w = Files.newBufferedWriter(config)) {
      props.store(w, "quest-stream demo trainer");
    }
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--config", config.toString()));
    return ManagedProcess.startJava(name, classpath, List.of("-Xmx2g", LOGGING), TRAINER_MAIN, args, dataDir,
        logs.resolve(name + ".log"), env());
  }

  /** Where the trainer keeps its feedback log, version history and reports. */
  Path trainerDir() {
    return dataDir.resolve("trainer");
  }

  static Map<String, String> env() {
    // DJL draws a progress bar while it opens a model, which in a log file is only noise.
    return Map.of("DJL_OFFLINE", "true", "RUST_FLAVOR", "cpu", "DJL_DISABLE_PROGRESS_BAR", "true");
  }
}
