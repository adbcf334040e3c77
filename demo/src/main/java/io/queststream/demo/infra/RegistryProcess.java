package io.queststream.demo.infra;

import io.queststream.demo.process.ManagedProcess;
import io.queststream.demo.process.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Apicurio Registry (Confluent-compatible API, in-memory storage) as its own JVM. */
public final class RegistryProcess {

  private RegistryProcess() {}

  public static ManagedProcess start(Path home, int port, Path logDir) throws IOException {
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
        home, logDir.resolve("schema-registry.log"), Map.of());
  }

  public static String confluentApiUrl(int port) {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }
}
