package io.queststream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestOnlyArtifactsTest {

  private static final String PRODUCTION = String.join(":",
      "/m2/org/apache/kafka/kafka-clients/4.3.2/kafka-clients-4.3.2.jar",
      "/m2/org/apache/kafka/kafka-streams/4.3.2/kafka-streams-4.3.2.jar",
      "/repo/reward-model/target/classes",
      "/m2/ai/djl/api/0.36.0/api-0.36.0.jar");

  @Test
  void aProductionClasspathHasNone(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("cp.txt"), PRODUCTION + ":/repo/sample-data/target/classes\n");

    assertThat(TestOnlyArtifacts.in(file, true)).isEmpty();
  }

  @Test
  void namesEveryTestFrameworkBrokerJarTestKitBenchAndUnwantedSampleData(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("cp.txt"), String.join(":", PRODUCTION,
        "/m2/org/junit/jupiter/junit-jupiter-api/5.13.1/junit-jupiter-api-5.13.1.jar",
        "/m2/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar",
        "/m2/org/apache/kafka/kafka_2.13/4.3.2/kafka_2.13-4.3.2.jar",
        "/m2/org/apache/kafka/kafka-server-common/4.3.2/kafka-server-common-4.3.2.jar",
        "/m2/org/apache/kafka/kafka-test-common-runtime/4.3.2/kafka-test-common-runtime-4.3.2.jar",
        "/repo/test-kit/target/classes",
        "/repo/bench/target/classes",
        "/m2/io/queststream/sample-data/0.1.0-SNAPSHOT/sample-data-0.1.0-SNAPSHOT.jar"));

    assertThat(TestOnlyArtifacts.in(file, false)).hasSize(8);
    assertThat(TestOnlyArtifacts.in(file, true)).hasSize(7)
        .noneMatch(entry -> entry.contains("sample-data"));
  }
}
