package io.queststream.trainer.cli;

import io.queststream.trainer.config.TrainerConfig;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point: {@code trainer <command>}; every command reads the same configuration file. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Retrains the reward heads from feedback, evaluates, gates and publishes weights versions.",
    subcommands = {RunCommand.class, TrainCommand.class, EvaluateCommand.class, PublishCommand.class,
        BootstrapCommand.class, CalibrateCommand.class, ImportCommand.class, RecipeCommand.class,
        RollbackCommand.class, HistoryCommand.class, KeygenCommand.class, SignCommand.class})
public final class TrainerCommand {

  /** Exit status of {@code run} when another trainer with the same id took over publishing. */
  public static final int EXIT_FENCED = 4;


  @Option(names = {"-c", "--config"}, description = "Properties file; QUEST_TRAINER_* environment variables override "
      + "it (QUEST_TRAINER_DATA_DIR sets data.dir). Keys: see TrainerConfig.", scope = CommandLine.ScopeType.INHERIT)
  Path configFile;

  TrainerContext context() {
    return new TrainerContext(TrainerConfig.load(configFile, System.getenv()));
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainerCommand()).execute(args));
  }
}
