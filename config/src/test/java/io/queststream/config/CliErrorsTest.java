package io.queststream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A failing command reports one line and exit status 1; the stack trace only with --verbose. */
class CliErrorsTest {

  @Command(name = "tool", subcommands = Failing.class)
  static final class Tool {
    @Mixin
    VerboseOption verbose;
  }

  @Command(name = "load")
  static final class Failing implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new UncheckedIOException(new NoSuchFileException("/data/missing.avro"));
    }
  }

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = CliErrors.reportingErrors(new CommandLine(new Tool()));
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), err.toString());
  }

  @Test
  void aFailureIsOneLineNamingTheCommandAndTheCauseWithExitStatusOne() {
    Run run = run("load");

    assertThat(run.exit()).isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(run.err()).isEqualTo(
        "tool load: no such file: /data/missing.avro (--verbose shows the stack trace)" + System.lineSeparator());
  }

  @Test
  void verboseOnTheSubcommandAddsTheStackTrace() {
    Run run = run("load", "--verbose");

    assertThat(run.exit()).isEqualTo(CliErrors.EXIT_FAILED);
    assertThat(run.err()).contains("java.io.UncheckedIOException", "\tat ")
        .endsWith("tool load: no such file: /data/missing.avro" + System.lineSeparator());
  }
}
