package io.queststream.demo.infra;

import picocli.CommandLine.Option;

/** Where the pipeline's Kafka cluster and schema registry are; shared by the demo's client commands. */
public final class ClusterOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  public String bootstrap;

  @Option(names = "--schema-registry-url", defaultValue = "http://127.0.0.1:8081/apis/ccompat/v7",
      description = "Confluent-compatible schema registry URL (default: ${DEFAULT-VALUE}).")
  public String registryUrl;
}
