package io.queststream.demo.cli;

import io.queststream.streams.cli.SettingsCommand;
import io.queststream.trainer.config.TrainerConfig;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the keys both applications read, with defaults and environment variables. */
@Command(name = "settings", mixinStandardHelpOptions = true,
    description = "Lists the streams app's settings and the trainer's keys with their defaults and environment "
        + "variables. Each app reads a properties file (--config), then its environment variables, then its "
        + "command-line overrides.")
final class AllSettingsCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    PrintStream out = System.out;
    out.println("streams app (streams-app run --config FILE, QUEST_* environment variables, -D KEY=VALUE); any "
        + "other key goes to Kafka Streams, the Kafka clients and the serdes");
    out.println();
    SettingsCommand.print(out);
    out.println();
    out.println("trainer (trainer <command> --config FILE, QUEST_TRAINER_* environment variables); kafka.* keys go "
        + "to the Kafka clients and serde.* keys to the serdes, without the prefix");
    out.println();
    TrainerConfig.defaults().forEach((key, value) -> out.printf("%-34s env: %-40s default: %s%n", key,
        TrainerConfig.environmentVariable(key), value.isEmpty() ? "(none)" : value));
    return 0;
  }
}
