package io.queststream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The trainer's commands fail with one line and exit status 1, as the launcher's do. */
class TrainerCommandErrorsTest {

  @TempDir
  Path dir;

  @Test
  void signingAMissingFileFailsWithOneLineAndNoStackTrace() {
    StringWriter err = new StringWriter();
    CommandLine cli = TrainerCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    Path missing = dir.resolve("missing.avro");

    int exit = cli.execute("-D", "data.dir=" + dir.resolve("data"), "sign", missing.toString(), "--out",
        dir.resolve("signed.avro").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().lines().toList()).singleElement().asString()
        .startsWith("trainer sign: ").contains("missing.avro").endsWith("(--verbose shows the stack trace)");
  }
}
