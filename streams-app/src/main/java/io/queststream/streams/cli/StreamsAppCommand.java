package io.queststream.streams.cli;

import io.queststream.config.CliErrors;
import io.queststream.config.VerboseOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Entry point: {@code streams-app run | settings}. */
@Command(name = "streams-app", mixinStandardHelpOptions = true, version = "quest-stream streams-app 0.1",
    description = "Real-time reward scoring of roleplay chat turns on Kafka Streams.",
    subcommands = {RunCommand.class, SettingsCommand.class, CommandLine.HelpCommand.class})
public final class StreamsAppCommand {

  @Mixin
  VerboseOption verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with its error reporting: one line per failure, the stack trace only with --verbose. */
  public static CommandLine commandLine() {
    return CliErrors.reportingErrors(new CommandLine(new StreamsAppCommand()));
  }
}
