package io.queststream.testkit;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.ConfluentKafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Confluent Platform in containers (Kafka + Schema Registry), for machines with a Docker engine. Tests that use it
 * are annotated {@code @Testcontainers(disabledWithoutDocker = true)} so they skip cleanly elsewhere.
 */
public final class ConfluentStack implements AutoCloseable {

  public static final String CONFLUENT_VERSION = "7.9.0";

  private final Network network = Network.newNetwork();
  private final ConfluentKafkaContainer kafka =
      new ConfluentKafkaContainer(DockerImageName.parse("confluentinc/cp-kafka:" + CONFLUENT_VERSION))
          .withNetwork(network)
          .withNetworkAliases("kafka")
          .withListener("kafka:19092");
  private final GenericContainer<?> registry =
      new GenericContainer<>(DockerImageName.parse("confluentinc/cp-schema-registry:" + CONFLUENT_VERSION))
          .withNetwork(network)
          .withExposedPorts(8081)
          .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
          .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
          .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
          .waitingFor(Wait.forHttp("/subjects").forStatusCode(200))
          .dependsOn(kafka);

  public ConfluentStack start() {
    registry.start();
    return this;
  }

  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  /** Base URL of Confluent's Schema Registry API. */
  public String registryUrl() {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
  }

  @Override
  public void close() {
    registry.stop();
    kafka.stop();
    network.close();
  }
}
