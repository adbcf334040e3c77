package io.queststream.demo.infra;

import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Apicurio Registry (Confluent-compatible API; in-memory storage, or an H2 database in a directory) as its own JVM. */
public final class RegistryProcess {

  private RegistryProcess() {}

  public static ManagedProcess start(Path home, int port, Path logDir) throws IOException {
    return start(home, port, logDir, null);
  }

  /**
   * As above; with a {@code storageDir}, the schemas are kept in an H2 database there instead of in memory, so that
   * a stopped and started registry keeps every schema id, as a production registry does.
   */
  public static ManagedProcess start(Path home, int port, Path logDir, Path storageDir) throws IOException {
    Ports.requireFree(port, "schema registry");
    Path runner;
    try (Stream<Path> files = Files.list(home)) {
      runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new IOException("no schema registry runner jar in " + home));
    }
    return ManagedProcess.start("schema-registry", List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
            "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-Dquarkus.banner.enabled=false",
            "-jar", runner.toString()),
        home, logDir.resolve("schema-registry.log"), storageDir == null ? Map.of()
            : Map.of("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + storageDir.toAbsolutePath().resolve("registry")));
  }

  public static String confluentApiUrl(int port) {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }
}
