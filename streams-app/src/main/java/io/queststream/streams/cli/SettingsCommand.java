package io.queststream.streams.cli;

import io.queststream.config.SettingsListing;
import io.queststream.streams.config.Settings;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists every setting of the app, the reward model's included, with its default and environment variable. */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Lists the app's settings (the reward model's model.* keys included), their defaults and "
        + "environment variables. Any other key is handed to Kafka Streams, the Kafka clients and the serdes "
        + "untouched; environment variables QUEST_X_Y set Kafka key x.y.")
public final class SettingsCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    print(System.out);
    return 0;
  }

  /** Every setting with its default, environment variable and meaning. */
  public static void print(PrintStream out) {
    SettingsListing.print(Settings.CATALOGUE, out);
  }
}
