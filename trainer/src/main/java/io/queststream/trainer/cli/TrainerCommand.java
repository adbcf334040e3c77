package io.queststream.trainer.cli;

import io.queststream.config.CliErrors;
import io.queststream.config.ConfigOptions;
import io.queststream.config.VerboseOption;
import io.queststream.trainer.config.TrainerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Entry point: {@code trainer <command>}; every command reads the same configuration file. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Retrains the reward heads from feedback, evaluates, gates and publishes weights versions.",
    subcommands = {RunCommand.class, TrainCommand.class, EvaluateCommand.class, PublishCommand.class,
        BootstrapCommand.class, CalibrateCommand.class, ImportCommand.class, RecipeCommand.class,
        RollbackCommand.class, ShadowCommand.class, HistoryCommand.class, KeygenCommand.class, SignCommand.class})
public final class TrainerCommand {

  /** Exit status of {@code run} when another trainer with the same id took over publishing. */
  public static final int EXIT_FENCED = 4;

  /**
   * Configuration, lowest precedence first: defaults, --config file, QUEST_TRAINER_* environment variables
   * (QUEST_TRAINER_DATA_DIR sets data.dir), --bootstrap-servers / --schema-registry-url, -D overrides; on every
   * subcommand. 'quest-stream settings' lists every key.
   */
  @Mixin
  ConfigOptions options;

  @Mixin
  VerboseOption verbose;

  TrainerContext context() {
    return new TrainerContext(TrainerConfig.load(options));
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, with its error reporting: one line per failure, the stack trace only with --verbose. */
  public static CommandLine commandLine() {
    return CliErrors.reportingErrors(new CommandLine(new TrainerCommand()));
  }
}
