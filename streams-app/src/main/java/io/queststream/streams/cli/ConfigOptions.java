package io.queststream.streams.cli;

import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the configuration comes from; shared by the commands that run the topology. */
public final class ConfigOptions {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Properties file: application settings (see 'streams-app settings') and any Kafka Streams, "
          + "client or serde key, passed through untouched.")
  Path configFile;

  @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
      description = "Sets one key; wins over the file and over QUEST_* environment variables. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (same as -D bootstrap.servers=...).")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL",
      description = "Confluent-compatible schema registry base URL, e.g. http://localhost:8081/apis/ccompat/v7.")
  String schemaRegistryUrl;

  public AppConfig load() {
    return AppConfig.from(values());
  }

  public Map<String, String> values() {
    Map<String, String> all = new LinkedHashMap<>();
    if (bootstrapServers != null) {
      all.put("bootstrap.servers", bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      all.put("schema.registry.url", schemaRegistryUrl);
    }
    all.putAll(overrides);
    return ConfigLoader.values(Optional.ofNullable(configFile), System.getenv(), all);
  }
}
