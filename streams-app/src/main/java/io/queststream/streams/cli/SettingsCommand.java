package io.queststream.streams.cli;

import io.queststream.streams.app.ModelSettings;
import io.queststream.streams.config.Setting;
import io.queststream.streams.config.Settings;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists every application setting with its default and environment variable. */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Lists the application settings, their defaults and environment variables. Any other key is "
        + "handed to Kafka Streams, the Kafka clients and the serdes untouched; environment variables QUEST_X_Y "
        + "set Kafka key x.y.")
final class SettingsCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    for (Setting s : Settings.ALL) {
      System.out.printf("%-34s default: %-12s env: %s%n    %s%n", s.key(),
          s.defaultValue().isEmpty() ? "(none)" : s.defaultValue(), s.environmentVariable(), s.description());
    }
    new TreeMap<>(ModelSettings.KEYS).forEach((k, d) -> System.out.printf("%-34s%n    %s%n", k, d));
    return 0;
  }
}
