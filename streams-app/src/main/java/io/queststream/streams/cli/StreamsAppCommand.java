package io.queststream.streams.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code streams-app run | settings}. */
@Command(name = "streams-app", mixinStandardHelpOptions = true, version = "quest-stream streams-app 0.1",
    description = "Real-time reward scoring of roleplay chat turns on Kafka Streams.",
    subcommands = {RunCommand.class, SettingsCommand.class, CommandLine.HelpCommand.class})
public final class StreamsAppCommand {

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamsAppCommand()).execute(args));
  }
}
