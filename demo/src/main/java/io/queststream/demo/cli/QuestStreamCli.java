package io.queststream.demo.cli;

import io.queststream.config.CliErrors;
import io.queststream.config.VerboseOption;
import io.queststream.demo.chaos.BackpressureCommand;
import io.queststream.demo.chaos.ChaosCommand;
import io.queststream.demo.dashboard.DashboardMain;
import io.queststream.demo.leaderboard.LeaderboardCommand;
import io.queststream.demo.score.ScoreCommand;
import io.queststream.demo.traffic.TrafficMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Entry point of the {@code quest-stream} launcher. */
@Command(name = "quest-stream", mixinStandardHelpOptions = true,
    description = "Real-time reward scoring for roleplay chat.",
    subcommands = {DemoCommand.class, DashboardMain.class, TrafficMain.class, ScoreCommand.class,
        LeaderboardCommand.class, ChaosCommand.class, BackpressureCommand.class, AllSettingsCommand.class})
public final class QuestStreamCli {

  @Mixin
  VerboseOption verbose;

  public static void main(String[] args) {
    // Launcher output is for people: logs go to stderr, and only what applies to this machine (see the file).
    System.setProperty("logback.configurationFile",
        System.getProperty("logback.configurationFile", "io/queststream/demo/cli/launcher-logback.xml"));
    // DJL draws a progress bar on stdout while it opens a model; the model is a local file, so there is no progress.
    System.setProperty("DJL_DISABLE_PROGRESS_BAR", "true");
    System.exit(commandLine().execute(args));
  }

  /** The launcher's command line, with its error reporting. */
  public static CommandLine commandLine() {
    return CliErrors.reportingErrors(new CommandLine(new QuestStreamCli()));
  }
}
