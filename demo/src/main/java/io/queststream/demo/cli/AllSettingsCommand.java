package io.queststream.demo.cli;

import io.queststream.config.Catalogue;
import io.queststream.config.SettingsListing;
import io.queststream.streams.config.Settings;
import io.queststream.trainer.config.TrainerSettings;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Lists the keys both applications read, with defaults and environment variables. */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Lists the streams app's and the trainer's settings with their defaults and environment "
        + "variables. Each app reads a properties file (--config), then its environment variables, then its "
        + "command line (--bootstrap-servers, --schema-registry-url, -D KEY=VALUE).")
public final class AllSettingsCommand implements Callable<Integer> {

  @Option(names = "--json", description = "Prints both catalogues as JSON (for deploy/validate --settings).")
  boolean json;

  /** Both apps' catalogues as JSON, by application name. */
  public static String json() {
    Map<String, Catalogue> catalogues = new LinkedHashMap<>();
    catalogues.put("streams-app", Settings.CATALOGUE);
    catalogues.put("trainer", TrainerSettings.CATALOGUE);
    return SettingsListing.json(catalogues);
  }

  @Override
  public Integer call() {
    PrintStream out = System.out;
    if (json) {
      out.print(json());
      return 0;
    }
    out.println("streams app (streams-app run --config FILE, QUEST_* environment variables, -D KEY=VALUE); the "
        + "reward model's keys are model.*; any other key goes to Kafka Streams, the Kafka clients and the serdes");
    out.println();
    SettingsListing.print(Settings.CATALOGUE, out);
    out.println();
    out.println("trainer (trainer <command> --config FILE, QUEST_TRAINER_* environment variables, -D KEY=VALUE); "
        + "other kafka.* keys go to the Kafka clients and serde.* keys to the serdes, without the prefix");
    out.println();
    SettingsListing.print(TrainerSettings.CATALOGUE, out);
    return 0;
  }
}
