package io.queststream.streams.cli;

import io.queststream.streams.app.ModelSettings;
import io.queststream.streams.config.Setting;
import io.queststream.streams.config.Settings;
import java.io.PrintStream;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists every application setting with its default and environment variable. */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Lists the application settings, their defaults and environment variables. Any other key is "
        + "handed to Kafka Streams, the Kafka clients and the serdes untouched; environment variables QUEST_X_Y "
        + "set Kafka key x.y.")
public final class SettingsCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    print(System.out);
    return 0;
  }

  /** Every application setting with its default, environment variable and meaning, then the model.* keys. */
  public static void print(PrintStream out) {
    for (Setting s : Settings.ALL) {
      out.printf("%-34s default: %-12s env: %s%n    %s%n", s.key(),
          s.defaultValue().isEmpty() ? "(none)" : s.defaultValue(), s.environmentVariable(), s.description());
    }
    new TreeMap<>(ModelSettings.KEYS).forEach((k, d) -> out.printf("%-34s%n    %s%n", k, d));
  }
}
