package io.queststream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.testkit.TestOnlyArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the streams-app image copies (its runtime classpath) carries no test, broker, bench or sample-data jars. */
class ProductionClasspathTest {

  @Test
  void theRuntimeClasspathHoldsNoTestOrBenchArtifacts() throws Exception {
    Path classpath = Path.of("target", "runtime-classpath.txt");
    assertThat(classpath).as("written by the build (dependency:build-classpath)").exists();
    assertThat(Files.readString(classpath)).contains("kafka-streams").contains("reward-model");

    assertThat(TestOnlyArtifacts.in(classpath, false)).isEmpty();
  }
}
