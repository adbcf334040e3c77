package io.queststream.model.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code reward-model} command line: weights import, export verification. */
@Command(name = "reward-model", mixinStandardHelpOptions = true,
    description = "Tools around the quest-stream reward model.",
    subcommands = {ImportWeightsCommand.class, VerifyExportCommand.class})
public final class ModelCli {

  public static void main(String[] args) {
    // Models come from the classpath or local directories only: never let DJL reach for the network.
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    // Keep library debug logging out of command output unless the user configures logging.
    System.setProperty("logback.configurationFile",
        System.getProperty("logback.configurationFile", "io/queststream/model/cli/cli-logback.xml"));
    System.exit(new CommandLine(new ModelCli()).execute(args));
  }
}
