package io.queststream.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where an application's configuration comes from on its command line (picocli mixin, inherited by subcommands): a
 * properties file, single keys, and shortcuts for the two addresses every deployment sets.
 */
public final class ConfigOptions {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Properties file: the application's settings ('quest-stream settings' lists them) and any key "
          + "it hands on to Kafka or the serdes.")
  Path configFile;

  @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
      description = "Sets one key; wins over the file and over the environment variables. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", scope = ScopeType.INHERIT,
      description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "Confluent-compatible schema registry base URL, e.g. http://localhost:8081/apis/ccompat/v7.")
  String schemaRegistryUrl;

  /**
   * The merged key/value pairs: file, then environment, then the command line.
   *
   * @param bootstrapKey the key --bootstrap-servers sets in this application
   * @param registryKey the key --schema-registry-url sets in this application
   */
  public Map<String, String> values(Catalogue catalogue, String bootstrapKey, String registryKey,
      Map<String, String> environment) {
    Map<String, String> commandLine = new LinkedHashMap<>();
    if (bootstrapServers != null) {
      commandLine.put(bootstrapKey, bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      commandLine.put(registryKey, schemaRegistryUrl);
    }
    commandLine.putAll(overrides);
    return ConfigLoader.values(catalogue, Optional.ofNullable(configFile), environment, commandLine);
  }
}
