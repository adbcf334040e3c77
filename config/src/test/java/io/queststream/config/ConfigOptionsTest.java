package io.queststream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ConfigOptionsTest {

  private static final Catalogue TOOL = Catalogue.handingOnOnly("TOOL_",
      List.of(new Setting("data.dir", "data", "where"), new Setting("kafka.bootstrap.servers", "localhost:9092", "b")),
      List.of("kafka.", "serde."));

  @Command(name = "tool", subcommands = Sub.class)
  static final class Tool {
    @Mixin
    ConfigOptions options;
  }

  @Command(name = "sub")
  static final class Sub implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void givenOptionsAfterTheSubcommand_thenTheParentsConfigurationHasThem(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("tool.properties"), "data.dir=from-file\nkafka.acks=all\n");
    Tool tool = new Tool();

    new CommandLine(tool).parseArgs("sub", "--config", file.toString(), "-D", "data.dir=from-cli",
        "--bootstrap-servers", "k:9092", "--schema-registry-url", "http://r");

    assertThat(tool.options.values(TOOL, "kafka.bootstrap.servers", "serde.schema.registry.url", Map.of()))
        .isEqualTo(Map.of("data.dir", "from-cli", "kafka.acks", "all", "kafka.bootstrap.servers", "k:9092",
            "serde.schema.registry.url", "http://r"));
  }
}
