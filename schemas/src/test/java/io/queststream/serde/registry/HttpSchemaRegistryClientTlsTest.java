package io.queststream.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against HTTPS registries whose self-signed certificates keytool makes for the test: one that only
 * authenticates itself, one that also requires a client certificate (mutual TLS).
 */
class HttpSchemaRegistryClientTlsTest {

  private static final String STORE_PASSWORD = "store-pw-123";

  @TempDir
  static Path dir;
  static Path registryStore;
  static Path clientStore;
  static StubRegistryServer registry;
  static StubRegistryServer mutualTlsRegistry;

  @BeforeAll
  static void startHttpsRegistries() throws IOException, InterruptedException, GeneralSecurityException {
    registryStore = keyPair("registry.p12", "localhost");
    clientStore = keyPair("client.p12", "quest-stream-client");
    KeyManagerFactory registryKeys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    registryKeys.init(load(registryStore), STORE_PASSWORD.toCharArray());
    TrustManagerFactory trustsClient = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustsClient.init(load(clientStore));

    SSLContext serverOnly = SSLContext.getInstance("TLS");
    serverOnly.init(registryKeys.getKeyManagers(), null, null);
    registry = StubRegistryServer.https(serverOnly, false).answer("GET", "/subjects", 200, "[\"chat-turns-value\"]");
    SSLContext mutual = SSLContext.getInstance("TLS");
    mutual.init(registryKeys.getKeyManagers(), trustsClient.getTrustManagers(), null);
    mutualTlsRegistry = StubRegistryServer.https(mutual, true)
        .answer("GET", "/subjects", 200, "[\"turn-scores-value\"]");
  }

  @AfterAll
  static void stopRegistries() {
    registry.close();
    mutualTlsRegistry.close();
  }

  @Test
  void talksToARegistryWhoseCertificateIsInTheConfiguredTruststore() {
    HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistryClientConfig(trusting(registry)));

    assertThat(client.subjects()).containsExactly("chat-turns-value");
  }

  @Test
  void refusesARegistryItDoesNotTrust() {
    HttpSchemaRegistryClient client =
        HttpSchemaRegistryClient.create(new RegistryClientConfig(Map.of("schema.registry.url", url(registry))));

    assertThatThrownBy(client::subjects)
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
        .hasMessageContaining("SSLHandshakeException");
  }

  @Test
  void presentsTheKeystoreCertificateToARegistryThatRequiresOne() {
    Map<String, String> props = trusting(mutualTlsRegistry);
    props.put("schema.registry.ssl.keystore.location", clientStore.toString());
    props.put("schema.registry.ssl.keystore.password", STORE_PASSWORD);
    props.put("schema.registry.ssl.keystore.type", "PKCS12");

    HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistryClientConfig(props));

    assertThat(client.subjects()).containsExactly("turn-scores-value");
  }

  @Test
  void cannotReachARegistryThatRequiresAClientCertificateWithoutOne() {
    HttpSchemaRegistryClient client =
        HttpSchemaRegistryClient.create(new RegistryClientConfig(trusting(mutualTlsRegistry)));

    assertThatThrownBy(client::subjects)
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE));
  }

  @Test
  void reportsAWrongTruststorePasswordWithoutPrintingIt() {
    String wrong = "not-the-pw-456";
    Map<String, String> props = trusting(registry);
    props.put("schema.registry.ssl.truststore.password", wrong);

    assertThatThrownBy(() -> HttpSchemaRegistryClient.create(new RegistryClientConfig(props)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageNotContaining(wrong);
  }

  private static Map<String, String> trusting(StubRegistryServer server) {
    return new HashMap<>(Map.of(
        "schema.registry.url", url(server),
        "schema.registry.ssl.truststore.location", registryStore.toString(),
        "schema.registry.ssl.truststore.password", STORE_PASSWORD,
        "schema.registry.ssl.truststore.type", "PKCS12"));
  }

  private static String url(StubRegistryServer server) {
    return "https://localhost:" + server.port();
  }

  private static Path keyPair(String file, String commonName) throws IOException, InterruptedException {
    Path store = dir.resolve(file);
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", commonName, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=" + commonName, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(output).isZero();
    return store;
  }

  private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    return store;
  }
}
