package io.queststream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The app's JVM flags file (jvm.options): a JVM of this JDK starts with it and applies its flags, and both places that
 * launch the app read it, the repository's launcher and the streams-app images.
 */
class JvmOptionsFileTest {

  private static final Path OPTIONS = Path.of("jvm.options");
  private static final Path REPOSITORY = Path.of("..");

  @Test
  void aJvmStartsWithTheFileAndAppliesItsCompileThresholdScaling() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "@" + OPTIONS.toAbsolutePath(), "-XX:+PrintFlagsFinal",
        "-version").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(output).isZero();
    List<String> scaling = output.lines().filter(l -> l.contains(" CompileThresholdScaling ")).toList();
    assertThat(scaling).singleElement().satisfies(line -> assertThat(line).contains("= 0.1").contains("{command line}"));
  }

  @Test
  void theLauncherAndBothStreamsAppImagesReadTheFile() throws Exception {
    assertThat(Files.readString(REPOSITORY.resolve("quest-stream")))
        .contains("exec java @\"$root/streams-app/jvm.options\" ${QUEST_JAVA_OPTS:-}");
    for (String image : List.of("streams-app.Dockerfile", "streams-app-cuda.Dockerfile")) {
      assertThat(Files.readString(REPOSITORY.resolve("docker").resolve(image))).as(image)
          .contains("COPY streams-app/jvm.options /opt/quest/jvm.options");
    }
    assertThat(Files.readString(REPOSITORY.resolve("docker/bin/launch")))
        .contains("argfile=@/opt/quest/jvm.options")
        .contains("exec java $argfile ${JAVA_OPTS:-}");
  }
}
