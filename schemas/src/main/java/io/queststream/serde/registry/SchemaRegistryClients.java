package io.queststream.serde.registry;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Picks the client for a {@code schema.registry.url}: in-memory for {@code mock://}, HTTP for http(s), retrying
 * when {@value RegistryClientConfig#RETRY_MAX_BLOCK_MS} is not 0.
 */
public final class SchemaRegistryClients {

  private SchemaRegistryClients() {}

  public static SchemaRegistryClient create(Map<String, ?> props) {
    return create(new RegistryClientConfig(props));
  }

  public static SchemaRegistryClient create(RegistryClientConfig config) {
    String url = config.url();
    if (config.isMock()) {
      return InMemorySchemaRegistryClient.forScope(url.substring(RegistryClientConfig.MOCK_SCHEME.length()));
    }
    if (url.startsWith("http://") || url.startsWith("https://")) {
      RegistryRetryPolicy retry = RegistryRetryPolicy.from(config);
      HttpSchemaRegistryClient http = HttpSchemaRegistryClient.create(config);
      return retry.retries() ? new RetryingSchemaRegistryClient(http, retry, config.availability()) : http;
    }
    throw new ConfigException(RegistryClientConfig.SCHEMA_REGISTRY_URL, HttpSchemaRegistryClient.redact(url),
        "expected an http://, https:// or mock:// URL");
  }
}
