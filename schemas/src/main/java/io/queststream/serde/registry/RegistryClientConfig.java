package io.queststream.serde.registry;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Connection settings of a schema registry client. Key names follow Confluent's client so that an existing
 * configuration carries over; secrets are {@link Password}s, which never print their value.
 */
public class RegistryClientConfig extends AbstractConfig {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
  public static final String RETRY_MAX_BLOCK_MS = "schema.registry.retry.max.block.ms";
  /** Not a setting: an application's {@link RegistryAvailability} instance, handed over in the same map. */
  public static final String AVAILABILITY = "schema.registry.availability";

  /** The prefix of an in-memory registry URL; the rest names a scope shared within the JVM. */
  public static final String MOCK_SCHEME = "mock://";

  private static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Base URL of a Confluent-compatible registry, e.g. http://localhost:8081 or "
              + "http://localhost:8080/apis/ccompat/v7; or mock://<scope> for an in-memory registry shared per "
              + "scope within the JVM.")
      .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
          "user:password for HTTP basic authentication.")
      .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
          "Trust store with the registry's CA; the JVM's default trust store when unset.")
      .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Trust store password.")
      .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Trust store type (PKCS12 or JKS).")
      .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
          "Key store with the client certificate, for registries that require mutual TLS.")
      .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Key store password.")
      .define(SSL_KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Key store type (PKCS12 or JKS).")
      .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
          "Password of the private key; the key store password when unset.")
      .define(CONNECT_TIMEOUT_MS, Type.INT, 3_000, Range.atLeast(1), Importance.LOW,
          "How long to wait for a connection to the registry.")
      .define(REQUEST_TIMEOUT_MS, Type.INT, 5_000, Range.atLeast(1), Importance.LOW,
          "How long to wait for the registry's answer to one request.")
      .define(RETRY_BACKOFF_MS, Type.INT, 100, Range.atLeast(1), Importance.LOW,
          "First wait before a call that failed because the registry could not be used (unreachable, server "
              + "error, 401/403) is tried again; it doubles after every failed attempt.")
      .define(RETRY_BACKOFF_MAX_MS, Type.INT, 2_000, Range.atLeast(1), Importance.LOW,
          "Longest wait between two attempts of one call.")
      .define(RETRY_MAX_BLOCK_MS, Type.LONG, 0L, Range.atLeast(-1), Importance.MEDIUM,
          "How long one call may keep retrying before it fails with REGISTRY_UNAVAILABLE or "
              + "REGISTRY_NOT_AUTHORISED: 0 never retries, -1 retries until the registry answers or the "
              + "application stops retrying. Calls that fail because of the request (unknown id, rejected schema) "
              + "are never retried.");

  public RegistryClientConfig(Map<String, ?> props) {
    this(CONFIG_DEF, props);
  }

  protected RegistryClientConfig(ConfigDef definition, Map<String, ?> props) {
    super(definition, props, false);
  }

  /** A copy of the definition, for configs that add their own keys. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  public String url() {
    return getString(SCHEMA_REGISTRY_URL).trim();
  }

  public boolean isMock() {
    return url().startsWith(MOCK_SCHEME);
  }

  /** The application's listener handed over under {@value #AVAILABILITY}, or one that only sleeps. */
  public RegistryAvailability availability() {
    return originals().get(AVAILABILITY) instanceof RegistryAvailability a ? a : RegistryAvailability.NONE;
  }
}
