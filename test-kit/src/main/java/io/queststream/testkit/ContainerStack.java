package io.queststream.testkit;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The broker and registry images the Compose stack deploys (Apache Kafka's and Apicurio's), in containers, for
 * machines with a Docker engine. The build names the images in the system properties {@value #KAFKA_IMAGE} and
 * {@value #REGISTRY_IMAGE} with the versions the project pins. Tests that use it are annotated
 * {@link EnabledWithDocker}.
 */
public final class ContainerStack implements AutoCloseable {

  public static final String KAFKA_IMAGE = "quest.containers.kafka-image";
  public static final String REGISTRY_IMAGE = "quest.containers.registry-image";

  private static final int REGISTRY_PORT = 8080;
  /** Both are JVMs starting side by side; on two busy cores the registry alone has taken 50 s. */
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

  private final KafkaContainer kafka = new KafkaContainer(image(KAFKA_IMAGE, "apache/kafka"))
      .withStartupTimeout(STARTUP_TIMEOUT);
  private final GenericContainer<?> registry = new GenericContainer<>(image(REGISTRY_IMAGE, "apicurio/apicurio-registry-mem"))
      .withExposedPorts(REGISTRY_PORT)
      .waitingFor(Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(STARTUP_TIMEOUT));

  public ContainerStack start() {
    Startables.deepStart(kafka, registry).join();
    return this;
  }

  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  /** Base URL of the registry's Confluent-compatible API. */
  public String registryUrl() {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT) + "/apis/ccompat/v7";
  }

  @Override
  public void close() {
    registry.stop();
    kafka.stop();
  }

  private static DockerImageName image(String property, String compatibleWith) {
    String name = System.getProperty(property);
    if (name == null || name.isBlank()) {
      throw new IllegalStateException("system property " + property + " must name the image (the build sets it)");
    }
    return DockerImageName.parse(name).asCompatibleSubstituteFor(compatibleWith);
  }
}
