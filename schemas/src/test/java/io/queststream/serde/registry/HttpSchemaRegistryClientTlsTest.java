package io.queststream.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against an HTTPS registry whose self-signed certificate is made by keytool for the test. */
class HttpSchemaRegistryClientTlsTest {

  private static final String STORE_PASSWORD = "store-pw-123";

  @TempDir
  static Path dir;
  static Path keystore;
  static StubRegistryServer server;

  @BeforeAll
  static void startHttpsRegistry() throws IOException, InterruptedException, GeneralSecurityException {
    keystore = dir.resolve("registry.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(output).isZero();

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, STORE_PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = StubRegistryServer.https(tls).answer("GET", "/subjects", 200, "[\"chat-turns-value\"]");
  }

  @AfterAll
  static void stopRegistry() {
    server.close();
  }

  @Test
  void talksToARegistryWhoseCertificateIsInTheConfiguredTruststore() {
    HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistryClientConfig(Map.of(
        "schema.registry.url", url(),
        "schema.registry.ssl.truststore.location", keystore.toString(),
        "schema.registry.ssl.truststore.password", STORE_PASSWORD,
        "schema.registry.ssl.truststore.type", "PKCS12")));

    assertThat(client.subjects()).containsExactly("chat-turns-value");
  }

  @Test
  void refusesARegistryItDoesNotTrust() {
    HttpSchemaRegistryClient client =
        HttpSchemaRegistryClient.create(new RegistryClientConfig(Map.of("schema.registry.url", url())));

    assertThatThrownBy(client::subjects)
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
        .hasMessageContaining("SSLHandshakeException");
  }

  @Test
  void reportsAWrongTruststorePasswordWithoutPrintingIt() {
    String wrong = "not-the-pw-456";

    assertThatThrownBy(() -> HttpSchemaRegistryClient.create(new RegistryClientConfig(Map.of(
        "schema.registry.url", url(),
        "schema.registry.ssl.truststore.location", keystore.toString(),
        "schema.registry.ssl.truststore.password", wrong))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageNotContaining(wrong);
  }

  private static String url() {
    return "https://localhost:" + server.port();
  }
}
