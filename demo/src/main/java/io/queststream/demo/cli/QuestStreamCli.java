package io.queststream.demo.cli;

import io.queststream.demo.chaos.BackpressureCommand;
import io.queststream.demo.chaos.ChaosCommand;
import io.queststream.demo.dashboard.DashboardMain;
import io.queststream.demo.leaderboard.LeaderboardCommand;
import io.queststream.demo.score.ScoreCommand;
import io.queststream.demo.traffic.TrafficMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code quest-stream} launcher. */
@Command(name = "quest-stream", mixinStandardHelpOptions = true,
    description = "Real-time reward scoring for roleplay chat.",
    subcommands = {DemoCommand.class, DashboardMain.class, TrafficMain.class, ScoreCommand.class,
        LeaderboardCommand.class, ChaosCommand.class, BackpressureCommand.class})
public final class QuestStreamCli {

  public static void main(String[] args) {
    System.exit(new CommandLine(new QuestStreamCli()).execute(args));
  }
}
