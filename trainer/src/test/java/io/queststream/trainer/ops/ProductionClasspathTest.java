package io.queststream.trainer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.testkit.TestOnlyArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the trainer image copies (its runtime classpath) carries no test, broker or bench jars. The sample data is
 * the trainer's own: `trainer bootstrap` trains the first version from it.
 */
class ProductionClasspathTest {

  @Test
  void theRuntimeClasspathHoldsNoTestOrBenchArtifacts() throws Exception {
    Path classpath = Path.of("target", "runtime-classpath.txt");
    assertThat(classpath).as("written by the build (dependency:build-classpath)").exists();
    assertThat(Files.readString(classpath)).contains("kafka-clients").contains("reward-model");

    assertThat(TestOnlyArtifacts.in(classpath, true)).isEmpty();
  }
}
